package dev.switchboard.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code ./switchboard bench jmh [JMH ARGS]}: the JMH benchmarks in this jar (today
 * {@code PacketInBenchmark}, decode -> learn -> encode in process), with JMH's own command line,
 * e.g. {@code bench jmh PacketInBenchmark -prof gc -t 1}; {@code bench jmh -h} lists JMH's options.
 * {@link BenchMain} hands the arguments over before picocli sees them; this class is the
 * command's entry in the help.
 */
@Command(name = "jmh", description = "Run the JMH benchmarks; the rest of the line goes to JMH "
        + "(e.g. jmh PacketInBenchmark -prof gc; jmh -h for JMH's options).")
final class JmhBench implements Callable<Integer> {

    static void run(String[] jmhArgs) throws Exception {
        // JMH's Main exits the JVM itself when it is done.
        org.openjdk.jmh.Main.main(jmhArgs);
    }

    @Override
    public Integer call() throws Exception {
        run(new String[0]);
        return 0;
    }
}
