package com.dce.etl.config;

/**
 * A mistake in one parameter of a declaration in a routes file (a route template's parameter); the routes check adds
 * the file and the route it is in.
 */
public class DeclarationError extends ConfigurationException {
    private final String parameter;
    private final String reason;

    public DeclarationError(String parameter, String reason) {
        super(parameter + ": " + reason);
        this.parameter = parameter;
        this.reason = reason;
    }

    public String parameter() {
        return parameter;
    }

    public String reason() {
        return reason;
    }
}
