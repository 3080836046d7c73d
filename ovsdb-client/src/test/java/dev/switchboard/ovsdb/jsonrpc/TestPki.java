package dev.switchboard.ovsdb.jsonrpc;

import dev.switchboard.ovs.runtime.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Throwaway certificates made with {@code openssl} at test time: a CA, and a server and a client
 * certificate it signed, plus a client signed by a second, untrusted CA. Nothing here is committed.
 */
record TestPki(Path dir, TlsFiles server, TlsFiles client, TlsFiles clientPkcs1, TlsFiles stranger) {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static boolean available() {
        return Commands.isInstalled("openssl");
    }

    static TestPki create(Path dir) {
        Path ca = authority(dir, "ca");
        Path otherCa = authority(dir, "other-ca");
        leaf(dir, "server", "ca");
        leaf(dir, "client", "ca");
        leaf(dir, "stranger", "other-ca");
        // The PKCS#1 form older ovs-pki wrote ("BEGIN RSA PRIVATE KEY").
        openssl(dir, "rsa", "-in", "client-key.pem", "-traditional", "-out", "client-key-rsa.pem");
        return new TestPki(dir,
                new TlsFiles(dir.resolve("server-key.pem"), dir.resolve("server-cert.pem"), ca),
                new TlsFiles(dir.resolve("client-key.pem"), dir.resolve("client-cert.pem"), ca),
                new TlsFiles(dir.resolve("client-key-rsa.pem"), dir.resolve("client-cert.pem"), ca),
                new TlsFiles(dir.resolve("stranger-key.pem"), dir.resolve("stranger-cert.pem"), otherCa));
    }

    /** {@code ovsdb-server} options presenting the server certificate and trusting the CA. */
    List<String> serverArgs() {
        return List.of("--private-key=" + server.privateKey(), "--certificate=" + server.certificate(),
                "--ca-cert=" + server.caCertificate());
    }

    private static Path authority(Path dir, String name) {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem",
                "-out", name + "-cert.pem", "-days", "2", "-subj", "/CN=switchboard test " + name);
        return dir.resolve(name + "-cert.pem");
    }

    private static void leaf(Path dir, String name, String ca) {
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out", name + "-req.pem",
                "-subj", "/CN=switchboard test " + name);
        openssl(dir, "x509", "-req", "-in", name + "-req.pem", "-CA", ca + "-cert.pem", "-CAkey", ca + "-key.pem",
                "-CAcreateserial", "-out", name + "-cert.pem", "-days", "2");
    }

    private static void openssl(Path dir, String... args) {
        // Run in dir with relative names; "sh -c cd" keeps Commands' simple interface.
        StringBuilder line = new StringBuilder("cd '" + dir + "' && exec openssl");
        for (String arg : args) {
            line.append(" '").append(arg).append('\'');
        }
        Commands.check(List.of("sh", "-c", line.toString()), Map.of(), TIMEOUT);
    }
}
