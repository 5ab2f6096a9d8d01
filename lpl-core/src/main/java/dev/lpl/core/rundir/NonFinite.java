package dev.lpl.core.rundir;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Non-finite numbers in a run directory's JSON: JSON has no {@code NaN}, so a non-finite double or
 * float is written as {@code null}, and a {@code null} where a number belongs is read as {@code NaN}
 * (a list element, or a component that is present). A number that is absent altogether stays {@code
 * null}, so a record can tell an older run's missing field from an undefined figure.
 */
final class NonFinite {

    private NonFinite() {}

    /**
     * Returns the module that reads and writes non-finite numbers so.
     *
     * @return the module
     */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("lpl-non-finite");
        module.addSerializer(Double.class, new DoubleSerializer());
        module.addSerializer(Double.TYPE, new DoubleSerializer());
        module.addSerializer(Float.class, new FloatSerializer());
        module.addSerializer(Float.TYPE, new FloatSerializer());
        module.addDeserializer(Double.class, new NaNDouble());
        module.addDeserializer(Float.class, new NaNFloat());
        return module;
    }

    /** Writes a non-finite double as null. */
    private static final class DoubleSerializer extends StdSerializer<Double> {

        DoubleSerializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (Double.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
            }
        }
    }

    /** Writes a non-finite float as null. */
    private static final class FloatSerializer extends StdSerializer<Float> {

        FloatSerializer() {
            super(Float.class);
        }

        @Override
        public void serialize(Float value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (Float.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
            }
        }
    }

    /** Reads null as NaN; an absent value stays null. */
    private static final class NaNDouble extends NumberDeserializers.DoubleDeserializer {

        NaNDouble() {
            super(Double.class, Double.NaN);
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }

    /** Reads null as NaN; an absent value stays null. */
    private static final class NaNFloat extends NumberDeserializers.FloatDeserializer {

        NaNFloat() {
            super(Float.class, Float.NaN);
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }
}
