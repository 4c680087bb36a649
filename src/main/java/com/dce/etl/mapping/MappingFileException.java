package com.dce.etl.mapping;

import com.dce.etl.config.ConfigurationException;

/** A mapping file that cannot be used; the message names the file, the key and the reason. */
public class MappingFileException extends ConfigurationException {
    public MappingFileException(String file, String key, String reason) {
        super(file + ": " + (key.isEmpty() ? "" : key + ": ") + reason);
    }
}
