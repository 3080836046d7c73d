package dev.switchboard.controller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway certificates made with {@code openssl} at test time: a CA that signs the controller
 * and a switch, and a second, untrusted CA that signs a stranger. Nothing here is committed.
 */
record TestPki(Path dir, Path ca, Path otherCa) {

    static boolean available() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static TestPki create(Path dir) {
        authority(dir, "ca");
        authority(dir, "other-ca");
        leaf(dir, "controller", "ca");
        leaf(dir, "switch", "ca");
        leaf(dir, "stranger", "other-ca");
        leaf(dir, "impostor", "other-ca");
        // The PKCS#1 form older ovs-pki wrote ("BEGIN RSA PRIVATE KEY").
        openssl(dir, "rsa", "-in", "controller-key.pem", "-traditional", "-out", "controller-key-rsa.pem");
        return new TestPki(dir, dir.resolve("ca-cert.pem"), dir.resolve("other-ca-cert.pem"));
    }

    Path key(String name) {
        return dir.resolve(name + "-key.pem");
    }

    Path cert(String name) {
        return dir.resolve(name + "-cert.pem");
    }

    /** The controller's files: its certificate from the CA, trusting switches the CA signed. */
    ControllerTls controller() {
        return new ControllerTls(key("controller"), cert("controller"), ca);
    }

    private static void authority(Path dir, String name) {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem",
                "-out", name + "-cert.pem", "-days", "2", "-subj", "/CN=switchboard test " + name);
    }

    private static void leaf(Path dir, String name, String ca) {
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out", name + "-req.pem",
                "-subj", "/CN=switchboard test " + name);
        openssl(dir, "x509", "-req", "-in", name + "-req.pem", "-CA", ca + "-cert.pem", "-CAkey", ca + "-key.pem",
                "-CAcreateserial", "-out", name + "-cert.pem", "-days", "2");
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
