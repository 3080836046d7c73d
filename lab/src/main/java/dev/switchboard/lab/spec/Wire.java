package dev.switchboard.lab.spec;

/**
 * A link with both ends numbered and named: what a runtime creates.
 *
 * @param index the link's position in {@link LabSpec#links()}
 * @param link  the link as specified
 * @param a     its end {@code a}
 * @param b     its end {@code b}
 */
public record Wire(int index, Link link, Port a, Port b) {

    /** {@code links[i] (a<->b)}: how problems name it. */
    public String label() {
        return "links[" + index + "] (" + a.node() + "<->" + b.node() + ")";
    }
}
