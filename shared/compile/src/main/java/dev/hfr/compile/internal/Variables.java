package dev.hfr.compile.internal;

import dev.hfr.model.ErrorCode;
import dev.hfr.model.Json;
import dev.hfr.model.RenderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Element;

/**
 * Composition variables (reference section 1.2): the schema {@code data-composition-variables}
 * (a JSON array of {id, type, label, default}), per-host {@code data-variable-values} (a JSON object)
 * and the bindings {@code data-var-text} / {@code data-var-src}.
 */
public final class Variables {
    private Variables() {
    }

    /** Defaults declared by a schema attribute, in schema order; empty when the element has none. */
    public static Map<String, Object> defaults(Element schemaHolder, String file) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (schemaHolder == null || !schemaHolder.hasAttr("data-composition-variables")) {
            return out;
        }
        Object parsed = parse(schemaHolder.attr("data-composition-variables"), "data-composition-variables",
                schemaHolder, file);
        if (!(parsed instanceof List<?> list)) {
            throw invalid("data-composition-variables", schemaHolder, file, "a JSON array of {id, type, label, default}");
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> m) || !(m.get("id") instanceof String id) || id.isBlank()) {
                throw invalid("data-composition-variables", schemaHolder, file,
                        "every entry to be an object with a string \"id\"");
            }
            out.put(id, m.get("default"));
        }
        return out;
    }

    /** The per-host values object; empty when the host has none. */
    public static Map<String, Object> hostValues(Element host, String file) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!host.hasAttr("data-variable-values")) {
            return out;
        }
        Object parsed = parse(host.attr("data-variable-values"), "data-variable-values", host, file);
        if (!(parsed instanceof Map<?, ?> m)) {
            throw invalid("data-variable-values", host, file, "a JSON object of variable id to value");
        }
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static Object parse(String json, String attr, Element el, String file) {
        try {
            return Json.tree(json);
        } catch (IllegalArgumentException e) {
            throw invalid(attr, el, file, "valid JSON (" + e.getMessage() + ")");
        }
    }

    private static RenderException invalid(String attr, Element el, String file, String expected) {
        return new RenderException(ErrorCode.COMPOSITION_INVALID, attr + " on " + Refs.describe(el, null) + " in "
                + file + " is malformed: expected " + expected);
    }

    /**
     * Applies data-var-text and data-var-src under {@code scope}; returns warnings for bindings that
     * name no known variable (left untouched so the runtime can still fill them).
     */
    public static List<String> applyBindings(List<Element> scope, Map<String, Object> values, String file) {
        List<String> warnings = new java.util.ArrayList<>();
        for (Element top : scope) {
            for (Element el : top.select("[data-var-text], [data-var-src]")) {
                bind(el, "data-var-text", values, file, warnings);
                bind(el, "data-var-src", values, file, warnings);
            }
        }
        return warnings;
    }

    private static void bind(Element el, String attr, Map<String, Object> values, String file, List<String> warnings) {
        if (!el.hasAttr(attr)) {
            return;
        }
        String id = el.attr(attr).trim();
        if (!values.containsKey(id)) {
            warnings.add(attr + "=\"" + id + "\" on " + Refs.describe(el, null) + " in " + file
                    + " names no declared variable; left as authored");
            return;
        }
        String value = plain(values.get(id));
        if (attr.equals("data-var-text")) {
            el.text(value);
        } else {
            el.attr("src", value);
        }
    }

    /** {@code --id: value;} declarations for scalar values that are safe as CSS; others are skipped. */
    public static String customProperties(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((id, v) -> {
            if (id.matches("[A-Za-z_][A-Za-z0-9_-]*") && (v instanceof String || v instanceof Number
                    || v instanceof Boolean)) {
                String text = plain(v);
                if (!text.matches(".*[;{}<>].*")) {
                    sb.append("--").append(id).append(": ").append(text).append("; ");
                }
            }
        });
        return sb.toString().trim();
    }

    /**
     * A value as it appears as text or in an attribute: strings as they are, numbers as JavaScript prints
     * them ({@code 2.0} is {@code 2}), anything else as script-safe JSON.
     */
    static String plain(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number n && !(n instanceof java.math.BigInteger)) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return "null";
            }
            if (n instanceof Double || n instanceof Float || n instanceof java.math.BigDecimal) {
                return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
            }
            return n.toString();
        }
        return Json.writeForScript(v);
    }
}
