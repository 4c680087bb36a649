package com.dce.etl.mapping;

/** A mapping file that cannot be used; the message names the file, the key and the reason. */
public class MappingFileException extends RuntimeException {
    public MappingFileException(String file, String key, String reason) {
        super(file + ": " + (key.isEmpty() ? "" : key + ": ") + reason);
    }
}
