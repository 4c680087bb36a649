package com.dce.etl.style;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

import com.dce.etl.config.DeclarationError;

/**
 * The styles of one kind, found with {@link ServiceLoader} and chosen by name, as kafka-connect-jdbc finds its
 * database dialects.
 *
 * @param <S> the kind of style
 * @param <T> what its styles make
 */
public final class Styles<S extends Style<T>, T> {
    private final String kind;
    private final Map<String, S> byName = new TreeMap<>();

    private Styles(String kind, Class<S> type) {
        this.kind = kind;
        for (S style : ServiceLoader.load(type, type.getClassLoader())) {
            if (byName.put(style.name(), style) != null) {
                throw new IllegalStateException("two " + kind + " styles are named " + style.name());
            }
        }
    }

    public static <S extends Style<T>, T> Styles<S, T> of(String kind, Class<S> type) {
        return new Styles<>(kind, type);
    }

    /** Makes what {@code text} declares (a style name and its parameters); {@code what} names it in messages. */
    public T create(String what, String text) {
        StyleSpec spec = StyleSpec.parse(what, text);
        S style = byName.get(spec.name());
        if (style == null) {
            throw new DeclarationError(what, "unknown " + kind + " style '" + spec.name() + "' (known: "
                    + String.join(", ", byName.keySet()) + ")");
        }
        T made = style.create(spec);
        spec.checkAllUsed();
        return made;
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
