package com.dce.etl.poll;

/** The provider answered 401 or 403: retrying will not help until someone fixes the credentials. */
public class ProviderRefusedCredentials extends PollFailure {
    public ProviderRefusedCredentials(String message) {
        super(message);
    }
}
