package com.dce.etl.style;

/**
 * A style of one kind (a pagination, an API or webhook authentication), found by its name. Each style is a small class
 * listed in {@code META-INF/services/<kind>}, so a new one is added without touching a switch.
 *
 * @param <T> what the style makes from a declaration's parameters
 */
public interface Style<T> {

    /** The name a declaration uses, e.g. {@code cursor}. */
    String name();

    /**
     * Makes the configured thing from {@code spec}; reads its parameters with {@link StyleSpec#require} and friends
     * and fails with {@link StyleSpec#fail} on a bad value.
     */
    T create(StyleSpec spec);
}
