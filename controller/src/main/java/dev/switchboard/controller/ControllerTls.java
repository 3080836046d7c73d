package dev.switchboard.controller;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files of OpenFlow over TLS, as OVS names them ({@code ovs-vsctl set-ssl KEY CERT CACERT}).
 * Authentication is mutual: the controller presents {@code certificate}, and a switch is accepted
 * only if it presents a certificate that chains to {@code caCertificate} (with {@code ovs-pki}: the
 * {@code switchca}). As in OVS, no host name is checked: the CA is the trust boundary.
 *
 * <p>The files are read when the controller starts.
 *
 * @param privateKey    an unencrypted key, PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 RSA
 *                      ({@code BEGIN RSA PRIVATE KEY}, as older {@code ovs-pki} wrote)
 * @param certificate   the controller's certificate, optionally followed by intermediate CAs
 * @param caCertificate the CA certificate(s) a switch's certificate must chain to
 */
public record ControllerTls(Path privateKey, Path certificate, Path caCertificate) {
    public ControllerTls {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(caCertificate, "caCertificate");
    }
}
