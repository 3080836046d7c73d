package dev.switchboard.lab.yaml;

/** A YAML text that is refused as a whole: not YAML, too large, nested too deep, not UTF-8. */
public final class YamlException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient YamlIssue issue;

    public YamlException(YamlIssue issue) {
        super(issue.format("<yaml>"));
        this.issue = issue;
    }

    public YamlIssue issue() {
        return issue;
    }
}
