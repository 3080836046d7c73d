package dev.switchboard.lab.spec;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A lab spec is malformed (wrong YAML, unknown keys, wrong types) or invalid (names
 * collide, a link ends nowhere, an address is taken…). It carries every problem found,
 * not just the first; the message has one line per problem, each
 * {@code SOURCE:LINE: PATH: MESSAGE} (source and line when known), like a compiler's.
 */
public class LabSpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient List<Problem> problems;

    /** Problems of a spec that did not come from a file. */
    public LabSpecException(List<Problem> problems) {
        this(null, problems);
    }

    /**
     * @param source   the file (or other origin) of the spec, or {@code null}
     * @param problems at least one
     */
    public LabSpecException(String source, List<Problem> problems) {
        super(message(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** Where the spec came from, e.g. its file name. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** Every problem, in the order found. */
    public List<Problem> problems() {
        return problems;
    }

    private static String message(String source, List<Problem> problems) {
        return problems.stream().map(p -> {
            String where = source == null ? "" : source + (p.line().isPresent() ? ":" + p.line().getAsInt() : "") + ": ";
            if (source == null && p.line().isPresent()) {
                where = "line " + p.line().getAsInt() + ": ";
            }
            return where + p;
        }).collect(Collectors.joining("\n"));
    }
}
