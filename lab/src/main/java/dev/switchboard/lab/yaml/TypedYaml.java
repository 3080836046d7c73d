package dev.switchboard.lab.yaml;

import dev.switchboard.lab.yaml.YamlTree.Mapping;
import dev.switchboard.lab.yaml.YamlTree.Scalar;
import dev.switchboard.lab.yaml.YamlTree.Sequence;
import dev.switchboard.lab.yaml.YamlTree.Value;
import dev.switchboard.ovsdb.schema.Spelling;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads typed values out of a {@link YamlTree}, collecting a problem for each key of the wrong
 * type, unknown key or value that does not parse, with its key path ({@code links[1].a.port})
 * and line, instead of stopping at the first. A reader of one kind of document (a lab spec)
 * walks its tree with these methods, which answer {@code Optional.empty()} where the value is
 * wrong, and at the end takes {@link #issues()}.
 *
 * <p>Every method that looks at a mapping remembers the lines of its keys, so a problem found
 * later about a key path (by a check of the whole document) gets the line of that key, or of
 * its nearest enclosing key ({@link #lineOf}).
 *
 * <p>Value parsers and constructors signal a wrong value by throwing an
 * {@link IllegalArgumentException} (or one of the {@code alsoRefusals} given to the
 * constructor) whose message says what is wrong; it becomes the problem's message.
 */
public final class TypedYaml {

    private final List<YamlIssue> issues;
    private final Map<String, Integer> lines = new HashMap<>();
    /** Paths with a YAML-level problem (an alias): what is read there would only add noise. */
    private final Set<String> spoiled = new HashSet<>();
    private final Map<String, String> renamed;
    private final List<Class<? extends RuntimeException>> alsoRefusals;

    /**
     * @param earlier      problems the parser found ({@link YamlTree.Document#issues()}); nothing more is
     *                     reported at their paths
     * @param renamed      keys people write by habit (from another tool) and the key meant, for "did you
     *                     mean" hints
     * @param alsoRefusals exceptions besides {@link IllegalArgumentException} by which parsers and
     *                     constructors refuse a value
     */
    @SafeVarargs
    public TypedYaml(Collection<YamlIssue> earlier, Map<String, String> renamed,
            Class<? extends RuntimeException>... alsoRefusals) {
        this.issues = new ArrayList<>(earlier);
        this.renamed = Map.copyOf(renamed);
        this.alsoRefusals = List.of(alsoRefusals);
        earlier.forEach(issue -> spoiled.add(issue.path()));
    }

    /** Every problem so far, in file order; those without a line first, the order found kept among equals. */
    public List<YamlIssue> issues() {
        List<YamlIssue> sorted = new ArrayList<>(issues);
        sorted.sort(Comparator.comparingInt(YamlIssue::line));
        return sorted;
    }

    /** Whether any problem was found. */
    public boolean hasIssues() {
        return !issues.isEmpty();
    }

    /** How many problems were found so far; compare before and after reading a part. */
    public int issueCount() {
        return issues.size();
    }

    /** Reports a problem at {@code path}, with the line of that key or the nearest enclosing one. */
    public void problem(String path, String message) {
        if (spoiled.contains(path)) {
            return;
        }
        Integer line = lines.get(path);
        issues.add(new YamlIssue(path, line != null ? line : lineOf(path).orElse(0), message));
    }

    /**
     * The line of {@code path}, or of its nearest enclosing key path that has one; none for the
     * document itself ({@code ""}), whose problems are about no key in particular.
     */
    public OptionalInt lineOf(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return OptionalInt.of(line);
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return OptionalInt.empty();
    }

    /** Notes that {@code path} is on {@code line}, unless a line is known already. */
    public void line(String path, int line) {
        lines.putIfAbsent(path, line);
    }

    /** Notes that {@code path} is on {@code line}, replacing what was known. */
    public void lineAt(String path, int line) {
        lines.put(path, line);
    }

    // ---- structure

    /**
     * Reports the keys of {@code m} outside {@code allowed}, each with a "did you mean" hint where
     * one is likely, except those in {@code reportedElsewhere}.
     *
     * @param allowed the keys allowed, in the order the message lists them
     */
    public void keys(Mapping m, String path, List<String> allowed, Set<String> reportedElsewhere) {
        for (String key : m.keyLines().keySet()) {
            if (!allowed.contains(key) && !reportedElsewhere.contains(key)) {
                problem(path.isEmpty() ? key : path + "." + key, "unknown key" + suggestion(key, allowed)
                        + "; expected one of " + String.join(", ", allowed));
            }
        }
    }

    public void keys(Mapping m, String path, List<String> allowed) {
        keys(m, path, allowed, Set.of());
    }

    private String suggestion(String key, List<String> allowed) {
        String meant = renamed.get(key);
        if (meant != null && allowed.contains(meant)) {
            return " (did you mean " + meant + "?)";
        }
        String lower = key.toLowerCase(Locale.ROOT);
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(key) || Spelling.distance(candidate.toLowerCase(Locale.ROOT), lower) <= 2) {
                return " (did you mean " + candidate + "?)";
            }
        }
        return "";
    }

    /** Remembers the line of {@code m} and of each of its keys. */
    public Mapping record(Mapping m, String path) {
        lines.putIfAbsent(path, m.line());
        m.keyLines().forEach((key, line) -> lines.putIfAbsent(path.isEmpty() ? key : path + "." + key, line));
        return m;
    }

    /** {@code value} as a mapping, or a problem "expected {@code expected}, found …". */
    public Optional<Mapping> mapping(Value value, String path, String expected) {
        lines.putIfAbsent(path, value.line());
        if (value instanceof Mapping m) {
            return Optional.of(record(m, path));
        }
        problem(path, "expected " + expected + ", found " + describe(value));
        return Optional.empty();
    }

    /** The mapping under {@code key}; empty, without a problem, when the key is absent or null. */
    public Optional<Mapping> optionalMapping(Mapping parent, String key, String path) {
        Value value = parent.entries().get(key);
        if (value == null || value instanceof Scalar s && s.value() == null) {
            return Optional.empty();
        }
        return mapping(value, join(path, key), "a mapping");
    }

    /**
     * The list under {@code key}; empty, without a problem, when the key is absent or null.
     *
     * @param example how such a list looks, for the message ({@code " like [OpenFlow13]"}), or {@code ""}
     */
    public Optional<Sequence> optionalSequence(Mapping parent, String key, String path, String example) {
        Value value = parent.entries().get(key);
        if (value == null || value instanceof Scalar s && s.value() == null) {
            return Optional.empty();
        }
        if (value instanceof Sequence seq) {
            return Optional.of(seq);
        }
        problem(join(path, key), "expected a list" + example + ", found " + describe(value));
        return Optional.empty();
    }

    // ---- scalars

    /** The text under {@code key}; empty when absent, a problem when not text. */
    public Optional<String> text(Mapping parent, String key, String path) {
        Value value = parent.entries().get(key);
        if (value == null) {
            return Optional.empty();
        }
        return scalarText(value, join(path, key));
    }

    /** The text under {@code key}, which must be there. */
    public Optional<String> required(Mapping parent, String key, String path) {
        if (!parent.entries().containsKey(key)) {
            lines.put(join(path, key), parent.line());
            problem(join(path, key), "missing");
            return Optional.empty();
        }
        return text(parent, key, path);
    }

    /** {@code value} as text, or a problem. */
    public Optional<String> scalarText(Value value, String path) {
        if (value instanceof Scalar s && s.value() instanceof String text) {
            return Optional.of(text);
        }
        problem(path, "expected text, found " + describe(value));
        return Optional.empty();
    }

    /** The boolean under {@code key}; empty when absent, a problem when not {@code true} or {@code false}. */
    public Optional<Boolean> bool(Mapping parent, String key, String path) {
        Value value = parent.entries().get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Scalar s && s.value() instanceof Boolean b) {
            return Optional.of(b);
        }
        problem(join(path, key), "expected true or false, found " + describe(value));
        return Optional.empty();
    }

    /** The whole number under {@code key}, within an {@code int}; empty when absent, a problem when not one. */
    public OptionalInt integer(Mapping parent, String key, String path) {
        Value value = parent.entries().get(key);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value instanceof Scalar s && s.value() instanceof Number n && !(n instanceof Double)) {
            BigInteger big = new BigInteger(n.toString());
            if (big.bitLength() < 32) {
                return OptionalInt.of(big.intValueExact());
            }
            problem(join(path, key), n + " is too large");
            return OptionalInt.empty();
        }
        problem(join(path, key), "expected a whole number, found " + describe(value));
        return OptionalInt.empty();
    }

    /** The text under {@code key} through {@code parser}; empty when absent, a problem when it does not parse. */
    public <T> Optional<T> parsed(Mapping parent, String key, String path, Function<String, T> parser) {
        String keyPath = join(path, key);
        return text(parent, key, path).flatMap(t -> convert(keyPath, parent.line(), t, parser));
    }

    /** {@code text} (found on {@code line}) through {@code parser}; a problem at {@code path} when it does not parse. */
    public <T> Optional<T> convert(String path, int line, String text, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(text));
        } catch (RuntimeException e) {
            if (!isRefusal(e)) {
                throw e;
            }
            lines.putIfAbsent(path, line);
            problem(path, e.getMessage());
            return Optional.empty();
        }
    }

    /** What {@code constructor} makes; a problem at {@code path} when it refuses (or a required part is null). */
    public <T> Optional<T> construct(String path, Supplier<T> constructor) {
        try {
            return Optional.of(constructor.get());
        } catch (RuntimeException e) {
            if (!(e instanceof NullPointerException) && !isRefusal(e)) {
                throw e;
            }
            problem(path, e.getMessage());
            return Optional.empty();
        }
    }

    private boolean isRefusal(RuntimeException e) {
        return e instanceof IllegalArgumentException || alsoRefusals.stream().anyMatch(type -> type.isInstance(e));
    }

    /** What a value is, for "found …" in a message: {@code a mapping}, {@code a list}, {@code text (abc)}. */
    public static String describe(Value value) {
        if (value instanceof Mapping) {
            return "a mapping";
        }
        if (value instanceof Sequence) {
            return "a list";
        }
        Scalar s = (Scalar) value;
        return s.typeName() + (s.value() == null ? "" : " (" + s.value() + ")");
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
