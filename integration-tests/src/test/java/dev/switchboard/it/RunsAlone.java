package dev.switchboard.it;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * An integration test class that must not run beside others: it uses something one per host (a fixed name, path or
 * port, the default labs directory), cleans up globally, or measures. Failsafe runs these one after another, after
 * the others ran side by side in several JVMs (integration-tests/pom.xml; the rule in the README, "Building and testing").
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("alone")
@interface RunsAlone {
    /** Why the class cannot share the host, for whoever wonders whether it still must run alone. */
    String value();
}
