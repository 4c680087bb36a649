package com.dce.etl.http;

/** The provider answered 401 or 403: retrying will not help until someone fixes the credentials. */
public class ProviderRefusedCredentials extends ProviderApiFailure {
    public ProviderRefusedCredentials(String message) {
        super(message);
    }
}
