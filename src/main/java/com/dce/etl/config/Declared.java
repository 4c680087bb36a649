package com.dce.etl.config;

/**
 * A bean a route template makes from its parameters: it checks them without side effects, so a routes file can be
 * checked before Camel creates (or, on a reload, replaces) its routes.
 */
public interface Declared {

    /** Throws {@link DeclarationError} naming the parameter and the reason when a parameter is unusable. */
    void validate();
}
