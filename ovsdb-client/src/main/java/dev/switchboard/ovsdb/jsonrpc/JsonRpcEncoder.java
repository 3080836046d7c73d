package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a {@link JsonRpcMessage} as one compact UTF-8 JSON object, with no delimiter (the format
 * {@link JsonRpcDecoder} reads). Every message carries {@code "id"}, and a response both
 * {@code "result"} and {@code "error"}, as JSON-RPC 1.0 asks. Stateless, so shared.
 */
@Sharable
final class JsonRpcEncoder extends MessageToByteEncoder<JsonRpcMessage> {

    private final ObjectMapper mapper;

    JsonRpcEncoder(ObjectMapper mapper) {
        super(JsonRpcMessage.class);
        this.mapper = mapper;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, JsonRpcMessage message, ByteBuf out) throws IOException {
        try (JsonGenerator json = mapper.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
            json.writeStartObject();
            if (message instanceof JsonRpcMessage.Request request) {
                json.writeStringField("method", request.method());
                json.writeFieldName("params");
                mapper.writeTree(json, request.params());
                json.writeFieldName("id");
                mapper.writeTree(json, request.id());
            } else if (message instanceof JsonRpcMessage.Notification notification) {
                json.writeStringField("method", notification.method());
                json.writeFieldName("params");
                mapper.writeTree(json, notification.params());
                json.writeNullField("id");
            } else if (message instanceof JsonRpcMessage.Response response) {
                json.writeFieldName("result");
                mapper.writeTree(json, response.result());
                json.writeFieldName("error");
                if (response.error() == null) {
                    json.writeNull();
                } else {
                    mapper.writeTree(json, response.error());
                }
                json.writeFieldName("id");
                mapper.writeTree(json, response.id());
            }
            json.writeEndObject();
        }
    }
}
