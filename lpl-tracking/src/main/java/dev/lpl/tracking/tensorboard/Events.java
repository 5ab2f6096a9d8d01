package dev.lpl.tracking.tensorboard;

import java.util.Map;

/**
 * The TensorBoard messages lpl writes, encoded with {@link ProtoWriter}. Field numbers are those of
 * the published schemas: {@code tensorflow/core/util/event.proto} (Event), {@code
 * tensorflow/core/framework/summary.proto} (Summary, SummaryMetadata), {@code tensor.proto} and
 * {@code tensor_shape.proto} (TensorProto), TensorBoard's {@code plugins/hparams/plugin_data.proto}
 * and {@code api.proto} (HParamsPluginData, Status) and {@code google/protobuf/struct.proto}
 * (Value).
 */
public final class Events {

    /** The first event of every file. */
    public static final String FILE_VERSION = "brain.Event:2";
    /** Tag of the hyperparameters' session start (the HParams plugin's). */
    public static final String SESSION_START_TAG = "_hparams_/session_start_info";
    /** Tag of the hyperparameters' session end (the HParams plugin's). */
    public static final String SESSION_END_TAG = "_hparams_/session_end_info";
    /** HParams {@code Status.STATUS_SUCCESS}. */
    public static final int STATUS_SUCCESS = 1;

    private static final int DT_FLOAT = 1;
    private static final int DT_STRING = 7;

    private Events() {}

    /**
     * Returns the file-version event that starts an event file.
     *
     * @param wallTime seconds since the epoch
     * @return the serialized Event
     */
    public static byte[] fileVersion(double wallTime) {
        return new ProtoWriter().doubleField(1, wallTime).stringField(3, FILE_VERSION).toByteArray();
    }

    /**
     * Returns an event of scalar summaries ({@code simple_value}, a float).
     *
     * @param wallTime seconds since the epoch
     * @param step the step (lpl: the 1-based epoch)
     * @param values tag to value
     * @return the serialized Event
     */
    public static byte[] scalars(double wallTime, long step, Map<String, Float> values) {
        ProtoWriter summary = new ProtoWriter();
        values.forEach((tag, value) -> summary.messageField(1, new ProtoWriter().stringField(1, tag).floatField(2, value)));
        return event(wallTime, step, summary);
    }

    /**
     * Returns an event of one text summary (the text plugin: a scalar string tensor, rendered as
     * Markdown).
     *
     * @param wallTime seconds since the epoch
     * @param step the step
     * @param tag the tag
     * @param markdown the text
     * @return the serialized Event
     */
    public static byte[] text(double wallTime, long step, String tag, String markdown) {
        ProtoWriter tensor = new ProtoWriter()
                .varintField(1, DT_STRING)
                .messageField(2, new ProtoWriter()) // shape []: a scalar
                .stringField(8, markdown);
        ProtoWriter value = new ProtoWriter().stringField(1, tag)
                .messageField(9, metadata("text", new byte[0]))
                .messageField(8, tensor);
        return event(wallTime, step, new ProtoWriter().messageField(1, value));
    }

    /**
     * Returns the HParams plugin's session start: the run's hyperparameters.
     *
     * @param wallTime seconds since the epoch (also the session's start time)
     * @param hparams name to value (a String, Number or Boolean; anything else as its text)
     * @return the serialized Event
     */
    public static byte[] sessionStart(double wallTime, Map<String, Object> hparams) {
        ProtoWriter start = new ProtoWriter();
        hparams.forEach((name, value) -> start.messageField(1,
                new ProtoWriter().stringField(1, name).messageField(2, structValue(value))));
        start.doubleField(5, wallTime);
        return hparams(wallTime, 0, SESSION_START_TAG, new ProtoWriter().messageField(3, start));
    }

    /**
     * Returns the HParams plugin's session end.
     *
     * @param wallTime seconds since the epoch
     * @param step the last step
     * @param status an HParams {@code Status} value
     * @return the serialized Event
     */
    public static byte[] sessionEnd(double wallTime, long step, int status) {
        ProtoWriter end = new ProtoWriter().varintField(1, status).doubleField(2, wallTime);
        return hparams(wallTime, step, SESSION_END_TAG, new ProtoWriter().messageField(4, end));
    }

    /**
     * Returns an event's step, reading only its top-level fields.
     *
     * @param event a serialized Event
     * @return its step (0 if absent)
     * @throws IllegalArgumentException if the bytes are not a well-formed message
     */
    public static long step(byte[] event) {
        int i = 0;
        long step = 0;
        while (i < event.length) {
            long[] tag = varint(event, i);
            i = (int) tag[1];
            int field = (int) (tag[0] >>> 3);
            switch ((int) (tag[0] & 7)) {
                case 0 -> {
                    long[] v = varint(event, i);
                    i = (int) v[1];
                    if (field == 2) {
                        step = v[0];
                    }
                }
                case 1 -> i += 8;
                case 2 -> {
                    long[] length = varint(event, i);
                    i = (int) (length[1] + length[0]);
                }
                case 5 -> i += 4;
                default -> throw new IllegalArgumentException("not an Event: wire type " + (tag[0] & 7));
            }
            if (i > event.length || i < 0) {
                throw new IllegalArgumentException("not an Event: truncated field " + field);
            }
        }
        return step;
    }

    private static long[] varint(byte[] bytes, int start) {
        long value = 0;
        int i = start;
        for (int shift = 0; shift < 64; shift += 7) {
            if (i >= bytes.length) {
                throw new IllegalArgumentException("not an Event: truncated varint");
            }
            byte b = bytes[i++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return new long[] {value, i};
            }
        }
        throw new IllegalArgumentException("not an Event: varint too long");
    }

    private static byte[] hparams(double wallTime, long step, String tag, ProtoWriter pluginData) {
        // version 0 is the default: not written
        ProtoWriter nullTensor = new ProtoWriter()
                .varintField(1, DT_FLOAT)
                .messageField(2, new ProtoWriter().messageField(2, new ProtoWriter())); // shape [0]
        ProtoWriter value = new ProtoWriter().stringField(1, tag)
                .messageField(9, metadata("hparams", pluginData.toByteArray()))
                .messageField(8, nullTensor);
        return event(wallTime, step, new ProtoWriter().messageField(1, value));
    }

    private static ProtoWriter structValue(Object value) {
        if (value instanceof Boolean b) {
            return new ProtoWriter().varintField(4, b ? 1 : 0);
        }
        if (value instanceof Number n) {
            return new ProtoWriter().doubleField(2, n.doubleValue());
        }
        return new ProtoWriter().stringField(3, String.valueOf(value));
    }

    private static ProtoWriter metadata(String plugin, byte[] content) {
        ProtoWriter pluginData = new ProtoWriter().stringField(1, plugin);
        if (content.length > 0) {
            pluginData.bytesField(2, content);
        }
        return new ProtoWriter().messageField(1, pluginData);
    }

    private static byte[] event(double wallTime, long step, ProtoWriter summary) {
        return new ProtoWriter().doubleField(1, wallTime).varintField(2, step).messageField(5, summary).toByteArray();
    }
}
