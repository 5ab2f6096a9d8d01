/**
 * TensorBoard's on-disk format, written without a TensorFlow or protobuf runtime: TFRecord framing
 * with masked CRC-32C ({@link dev.lpl.tracking.tensorboard.TfRecords}), a minimal protobuf encoder
 * ({@link dev.lpl.tracking.tensorboard.ProtoWriter}) and the Event, Summary and HParams messages
 * ({@link dev.lpl.tracking.tensorboard.Events}).
 */
package dev.lpl.tracking.tensorboard;
