package dev.switchboard.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The JSON answers of the flow writes ({@code POST}, {@code PUT}, {@code DELETE} of a switch's flows). */
public final class FlowWriteModel {

    private FlowWriteModel() {
    }

    /**
     * What a {@code POST} (add) or {@code PUT} (modify) did.
     *
     * @param requested the flows in the body
     * @param installed the flows the switch accepted and kept; with a bundle all or none
     * @param failed    the flows the switch refused, in body order
     * @param method    {@code bundle} (OpenFlow 1.4+: one atomic bundle, all or nothing) or
     *                  {@code batches} (1.0–1.3: barrier-fenced batches; a refused flow leaves the others)
     * @param millis    from the first message sent to the switch's last answer
     * @param error     why not every flow was installed (422 only); absent on success
     * @param commitMillis with a bundle, how much of {@code millis} the switch took to answer the COMMIT
     *                  (applying the flows); absent otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FlowWriteResult(int requested, int installed, List<FailedFlow> failed, String method, long millis,
            String error, Long commitMillis) {
    }

    /**
     * One flow the switch refused.
     *
     * @param index its 0-based position among the body's flows
     * @param line  the 1-based line it starts on (text), or its 1-based position in the array (JSON)
     * @param flow  the flow as written (text line, or the JSON object)
     * @param error the OpenFlow error type and code, e.g. {@code BAD_ACTION/BAD_OUT_PORT}
     */
    public record FailedFlow(int index, int line, String flow, String error) {
    }

    /**
     * What a {@code DELETE} did.
     *
     * @param deleted {@code matching flows}, or {@code all flows} when no match, table or cookie was given
     * @param match   the match as given (empty: every flow)
     * @param strict  whether only the flow with exactly this match and priority was deleted
     * @param table   the table, or {@code all}
     * @param cookie  the cookie and mask selecting the flows, when given
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FlowDeleteResult(String deleted, String match, boolean strict, String table, String cookie) {
    }
}
