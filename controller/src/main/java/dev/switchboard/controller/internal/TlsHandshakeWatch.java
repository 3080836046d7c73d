package dev.switchboard.controller.internal;

import dev.switchboard.controller.PeerText;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@code tls} stage until the TLS handshake ends. A failed handshake (a
 * switch whose certificate does not chain to the CA, one that sends no certificate, or that
 * speaks plain OpenFlow to a TLS port) is logged in one WARN line naming the peer and why, and
 * the exception that follows it is swallowed, so nothing further is logged for that peer; the
 * switch was never registered, as its HELLO cannot get through. A peer that merely hangs up
 * mid-handshake refused nothing and is logged at debug. On success it removes itself,
 * so the packet path has no extra stage. Not sharable: one per channel.
 */
final class TlsHandshakeWatch extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeWatch.class);

    private boolean failed;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                log.debug("{}: TLS up, switch certificate {}", ctx.channel().remoteAddress(), subject(ctx));
                ctx.pipeline().remove(this);
            } else if (done.cause() instanceof ClosedChannelException) {
                // The peer hung up mid-handshake (OVS does when its SSL settings change): nothing was refused.
                failed = true;
                log.debug("{}: closed during the TLS handshake", ctx.channel().remoteAddress());
            } else {
                failed = true;
                log.warn("{}: refused: TLS handshake failed: {}", ctx.channel().remoteAddress(),
                        PeerText.escape(reason(done.cause())));
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            return; // the handshake failure, already logged
        }
        ctx.fireExceptionCaught(cause);
    }

    /**
     * Why, as the JDK says it: for a switch certificate from another CA, PKIX's "unable to find
     * valid certification path"; for a switch that sends none, "Empty client certificate chain".
     */
    static String reason(Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String outer = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        if (outer.startsWith("Insufficient buffer remaining for AEAD cipher fragment")) {
            // Seen when OVS 3.1 (OpenSSL 3) does not trust the controller's certificate: it breaks off
            // TLS 1.3 with a 2-byte alert the JDK tries to decrypt. Say what that most likely means.
            return outer + " (the switch broke off the handshake: does it trust the controller's CA? "
                    + "its log says \"certificate verify failed\" if not)";
        }
        Throwable inner = root;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        if (inner != root && inner.getMessage() != null && !outer.contains(inner.getMessage())) {
            return outer + " (" + inner.getMessage() + ")";
        }
        return outer;
    }


    private static String subject(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession session = ssl == null ? null : ssl.engine().getSession();
        try {
            return session == null ? "?" : PeerText.escape(session.getPeerPrincipal().getName());
        } catch (SSLPeerUnverifiedException e) {
            return "none";
        }
    }
}
