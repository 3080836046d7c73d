package dev.switchboard.ovsdb.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.json.JsonObjectDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frame and message stages on their own, bytes in and messages out. */
class JsonRpcCodecTest {

    private final ObjectMapper mapper = JsonRpcTransport.newMapper(JsonRpcOptions.defaults());

    private EmbeddedChannel decoder(int maxBytes) {
        return new EmbeddedChannel(new JsonObjectDecoder(maxBytes), new JsonRpcDecoder(mapper));
    }

    private static JsonRpcMessage next(EmbeddedChannel channel) {
        return channel.readInbound();
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Test
    void splitsBackToBackMessagesAndJoinsSplitOnes() {
        EmbeddedChannel channel = decoder(1 << 20);
        channel.writeInbound(utf8("{\"method\":\"update\",\"params\":[\"m\",{\"}\":\"{\\\"\"}],\"id\":null}"
                + "  \n{\"id\":7,\"result\":[\"Open_vSwitch\"],\"error\":null}{\"id\":\"echo\",\"re"));
        channel.writeInbound(utf8("sult\":[],\"error\":null}{\"method\":\"echo\",\"params\":[\"é\"],\"id\":\"x\"}"));

        assertThat(next(channel)).isEqualTo(new JsonRpcMessage.Notification("update",
                JsonNodeFactory.instance.arrayNode().add("m").add(JsonNodeFactory.instance.objectNode().put("}", "{\""))));
        assertThat(next(channel)).isEqualTo(new JsonRpcMessage.Response(IntNode.valueOf(7),
                JsonNodeFactory.instance.arrayNode().add("Open_vSwitch"), null));
        assertThat(next(channel)).isEqualTo(new JsonRpcMessage.Response(TextNode.valueOf("echo"),
                JsonNodeFactory.instance.arrayNode(), null));
        assertThat(next(channel)).isEqualTo(new JsonRpcMessage.Request("echo",
                JsonNodeFactory.instance.arrayNode().add("é"), TextNode.valueOf("x")));
        assertFalse(channel.finish());
    }

    @Test
    void readsAnErrorResponseWithoutResult() {
        // ovsdb-server leaves "result" out of error responses.
        EmbeddedChannel channel = decoder(1 << 20);
        channel.writeInbound(utf8("{\"id\":3,\"error\":\"unknown method\"}"));
        JsonRpcMessage.Response response = channel.readInbound();
        assertThat(response.isError()).isTrue();
        assertThat(response.error()).isEqualTo(TextNode.valueOf("unknown method"));
        assertFalse(channel.finish());
    }

    @Test
    void rejectsAMessageOverTheCap() {
        EmbeddedChannel channel = decoder(64);
        String big = "{\"method\":\"update\",\"params\":[\"" + "x".repeat(100) + "\"],\"id\":null}";
        assertThatThrownBy(() -> channel.writeInbound(utf8(big)))
                .isInstanceOf(TooLongFrameException.class)
                .hasMessageContaining("exceeds 64");
        assertFalse(channel.finish());
    }

    @Test
    void rejectsBytesOutsideAnObjectAndDiscardsTheRest() {
        EmbeddedChannel channel = decoder(1 << 20);
        assertThatThrownBy(() -> channel.writeInbound(utf8("hello {\"id\":1,\"result\":1}")))
                .isInstanceOf(CorruptedFrameException.class);
        channel.writeInbound(utf8("{\"id\":2,\"result\":2}"));
        assertThat(next(channel)).isNull();
        assertFalse(channel.finish());
    }

    @Test
    void rejectsMalformedJsonOnceThenDiscards() {
        EmbeddedChannel channel = decoder(1 << 20);
        assertThatThrownBy(() -> channel.writeInbound(utf8("{\"method\": nope}{\"id\":2,\"result\":2}")))
                .isInstanceOf(CorruptedFrameException.class)
                .hasMessageStartingWith("malformed JSON: ");
        assertThat(next(channel)).isNull();
        assertFalse(channel.finish());
    }

    @Test
    void rejectsJsonThatIsNoJsonRpcMessage() {
        assertRejected("[1,2]", "must be a JSON object, got array");
        assertRejected("{\"method\":1,\"params\":[],\"id\":1}", "\"method\" must be a string");
        assertRejected("{\"method\":\"list_dbs\",\"params\":{},\"id\":1}", "\"params\" of list_dbs must be an array");
        assertRejected("{\"method\":\"list_dbs\",\"id\":1}", "must be an array, got none");
        assertRejected("{\"result\":[],\"error\":null,\"id\":null}", "needs a non-null \"id\"");
        assertRejected("{\"id\":1}", "neither a request");
    }

    private void assertRejected(String json, String problem) {
        EmbeddedChannel channel = decoder(1 << 20);
        assertThatThrownBy(() -> channel.writeInbound(utf8(json)))
                .isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining(problem);
        assertFalse(channel.finish());
    }

    @Test
    void encodesEachMessageAsOneCompactObject() {
        EmbeddedChannel channel = new EmbeddedChannel(new JsonRpcEncoder(mapper));
        channel.writeOutbound(new JsonRpcMessage.Request("list_dbs", JsonNodeFactory.instance.arrayNode(),
                LongNode.valueOf(1)));
        channel.writeOutbound(new JsonRpcMessage.Notification("cancel", JsonNodeFactory.instance.arrayNode().add(4)));
        channel.writeOutbound(new JsonRpcMessage.Response(TextNode.valueOf("echo"),
                JsonNodeFactory.instance.arrayNode().add("ü"), null));
        channel.writeOutbound(new JsonRpcMessage.Response(LongNode.valueOf(9), JsonNodeFactory.instance.nullNode(),
                TextNode.valueOf("unknown method")));

        assertThat(readText(channel)).isEqualTo("{\"method\":\"list_dbs\",\"params\":[],\"id\":1}");
        assertThat(readText(channel)).isEqualTo("{\"method\":\"cancel\",\"params\":[4],\"id\":null}");
        assertThat(readText(channel)).isEqualTo("{\"result\":[\"ü\"],\"error\":null,\"id\":\"echo\"}");
        assertThat(readText(channel)).isEqualTo("{\"result\":null,\"error\":\"unknown method\",\"id\":9}");
        assertFalse(channel.finish());
    }

    private static String readText(EmbeddedChannel channel) {
        ByteBuf buf = channel.readOutbound();
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }
}
