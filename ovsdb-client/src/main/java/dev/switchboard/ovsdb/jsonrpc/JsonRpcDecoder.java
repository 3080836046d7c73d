package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.json.JsonObjectDecoder;
import java.io.IOException;
import java.util.List;

/**
 * Turns one JSON text, as cut from the stream by a {@link JsonObjectDecoder}, into a
 * {@link JsonRpcMessage}.
 *
 * <p>Wire format (RFC 7047 section 4, JSON-RPC 1.0): UTF-8 JSON objects back to back with no
 * delimiter. An object with a string {@code "method"} and an array {@code "params"} is a request,
 * or a notification if its {@code "id"} is null or absent. An object with {@code "result"} or
 * {@code "error"} and a non-null {@code "id"} is a response; {@code ovsdb-server} leaves out
 * {@code "result"} when it answers with an error. Anything else, or text that is not JSON, breaks the
 * protocol: this throws a {@link CorruptedFrameException} once and discards every later frame until
 * the connection, which the next stage closes, is gone.
 */
final class JsonRpcDecoder extends MessageToMessageDecoder<ByteBuf> {

    private final ObjectMapper mapper;
    private boolean broken; // touched only on the channel's event loop

    JsonRpcDecoder(ObjectMapper mapper) {
        super(ByteBuf.class);
        this.mapper = mapper;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        if (broken) {
            return;
        }
        try {
            out.add(toMessage(parse(frame)));
        } catch (CorruptedFrameException e) {
            broken = true;
            throw e;
        }
    }

    private JsonNode parse(ByteBuf frame) {
        try (ByteBufInputStream in = new ByteBufInputStream(frame)) {
            return mapper.readTree(in);
        } catch (JsonProcessingException e) {
            // The original message, without Jackson's excerpt of the (possibly huge) source.
            throw new CorruptedFrameException("malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset()));
        } catch (IOException e) {
            throw new CorruptedFrameException("unreadable JSON: " + e.getMessage());
        }
    }

    static JsonRpcMessage toMessage(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            throw new CorruptedFrameException("a JSON-RPC message must be a JSON object, got " + kind(node));
        }
        JsonNode id = object.get("id");
        JsonNode method = object.get("method");
        if (method != null) {
            if (!method.isTextual()) {
                throw new CorruptedFrameException("\"method\" must be a string, got " + kind(method));
            }
            JsonNode params = object.get("params");
            if (!(params instanceof ArrayNode array)) {
                throw new CorruptedFrameException("\"params\" of " + method.textValue() + " must be an array, got "
                        + (params == null ? "none" : kind(params)));
            }
            return id == null || id.isNull()
                    ? new JsonRpcMessage.Notification(method.textValue(), array)
                    : new JsonRpcMessage.Request(method.textValue(), array, id);
        }
        if (object.has("result") || object.has("error")) {
            if (id == null || id.isNull()) {
                throw new CorruptedFrameException("a response needs a non-null \"id\"");
            }
            JsonNode result = object.get("result");
            return new JsonRpcMessage.Response(id, result == null ? NullNode.getInstance() : result,
                    object.get("error"));
        }
        throw new CorruptedFrameException("neither a request (no \"method\") nor a response (no \"result\" or "
                + "\"error\")");
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
