#!/usr/bin/env python3
"""Independent reader of TensorBoard event files, written from the published formats.

TFRecord framing (tensorflow/core/lib/io/record_writer.cc): uint64 length, uint32 masked CRC-32C of
the length bytes, the data, uint32 masked CRC-32C of the data, little-endian; mask(crc) =
((crc >> 15) | (crc << 17)) + 0xa282ead8 mod 2^32. CRC-32C (Castagnoli, reflected polynomial
0x82F63B78) is computed here bit by bit, not with a library.

Messages are decoded with the protobuf runtime (Debian's python3-protobuf) from descriptors built
here from the published .proto files: tensorflow/core/util/event.proto (Event, SessionLog),
tensorflow/core/framework/summary.proto (Summary, SummaryMetadata), tensor.proto /
tensor_shape.proto (TensorProto), tensorboard/plugins/hparams/plugin_data.proto
(HParamsPluginData) and google/protobuf/struct.proto (Value).

Usage:
  check_tfevents.py --run RUN_DIR     compare with RUN_DIR/metrics.jsonl (classes from manifest.json)
  check_tfevents.py --expect FILE DIR compare the events in DIR with FILE, a JSON list of
                                      {"step": n, "values": {tag: value}}
Every scalar written must be expected and every expected scalar written, once, at its step, equal
to the expected value rounded to float32. Prints one summary line; exits 1 on the first mismatch.
"""
import glob
import json
import math
import os
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, struct_pb2

try:
    from google.protobuf import message_factory

    def message_class(descriptor):
        if hasattr(message_factory, "GetMessageClass"):
            return message_factory.GetMessageClass(descriptor)
        return message_factory.MessageFactory().GetPrototype(descriptor)
except ImportError:  # pragma: no cover
    raise


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


# --- CRC-32C, bit by bit -------------------------------------------------------------------------
def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(crc):
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283  # the standard check value of CRC-32C


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    i = 0
    out = []
    while i < len(data):
        if len(data) - i < 12:
            fail("%s: %d trailing bytes at offset %d" % (path, len(data) - i, i))
        header = data[i:i + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[i + 8:i + 12])
        if length_crc != masked(crc32c(header)):
            fail("%s: bad length CRC at offset %d" % (path, i))
        body = data[i + 12:i + 12 + length]
        if len(body) != length or len(data) < i + 16 + length:
            fail("%s: record at offset %d is cut short" % (path, i))
        (body_crc,) = struct.unpack("<I", data[i + 12 + length:i + 16 + length])
        if body_crc != masked(crc32c(body)):
            fail("%s: bad data CRC at offset %d" % (path, i))
        out.append(body)
        i += 16 + length
    return out


# --- the schema, from the published .proto files -------------------------------------------------
F = descriptor_pb2.FieldDescriptorProto


def field(message, name, number, ftype, label=F.LABEL_OPTIONAL, type_name=None, oneof=None):
    f = message.field.add(name=name, number=number, type=ftype, label=label)
    if type_name:
        f.type_name = type_name
    if oneof is not None:
        f.oneof_index = oneof
    return f


def build_pool():
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(struct_pb2.DESCRIPTOR.serialized_pb)
    fd = descriptor_pb2.FileDescriptorProto(name="lpl_check/tensorboard.proto", package="check", syntax="proto3")
    fd.dependency.append("google/protobuf/struct.proto")

    shape = fd.message_type.add(name="TensorShapeProto")
    dim = shape.nested_type.add(name="Dim")
    field(dim, "size", 1, F.TYPE_INT64)
    field(dim, "name", 2, F.TYPE_STRING)
    field(shape, "dim", 2, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".check.TensorShapeProto.Dim")
    field(shape, "unknown_rank", 3, F.TYPE_BOOL)

    tensor = fd.message_type.add(name="TensorProto")
    field(tensor, "dtype", 1, F.TYPE_INT32)
    field(tensor, "tensor_shape", 2, F.TYPE_MESSAGE, type_name=".check.TensorShapeProto")
    field(tensor, "version_number", 3, F.TYPE_INT32)
    field(tensor, "tensor_content", 4, F.TYPE_BYTES)
    field(tensor, "float_val", 5, F.TYPE_FLOAT, F.LABEL_REPEATED)
    field(tensor, "double_val", 6, F.TYPE_DOUBLE, F.LABEL_REPEATED)
    field(tensor, "int_val", 7, F.TYPE_INT32, F.LABEL_REPEATED)
    field(tensor, "string_val", 8, F.TYPE_BYTES, F.LABEL_REPEATED)

    meta = fd.message_type.add(name="SummaryMetadata")
    plugin = meta.nested_type.add(name="PluginData")
    field(plugin, "plugin_name", 1, F.TYPE_STRING)
    field(plugin, "content", 2, F.TYPE_BYTES)
    field(meta, "plugin_data", 1, F.TYPE_MESSAGE, type_name=".check.SummaryMetadata.PluginData")
    field(meta, "display_name", 2, F.TYPE_STRING)
    field(meta, "summary_description", 3, F.TYPE_STRING)
    field(meta, "data_class", 4, F.TYPE_INT32)

    summary = fd.message_type.add(name="Summary")
    value = summary.nested_type.add(name="Value")
    value.oneof_decl.add(name="value")
    field(value, "node_name", 7, F.TYPE_STRING)
    field(value, "tag", 1, F.TYPE_STRING)
    field(value, "metadata", 9, F.TYPE_MESSAGE, type_name=".check.SummaryMetadata")
    field(value, "simple_value", 2, F.TYPE_FLOAT, oneof=0)
    field(value, "obsolete_old_style_histogram", 3, F.TYPE_BYTES, oneof=0)
    field(value, "tensor", 8, F.TYPE_MESSAGE, type_name=".check.TensorProto", oneof=0)
    field(summary, "value", 1, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".check.Summary.Value")

    session_log = fd.message_type.add(name="SessionLog")
    field(session_log, "status", 1, F.TYPE_INT32)
    field(session_log, "checkpoint_path", 2, F.TYPE_STRING)
    field(session_log, "msg", 3, F.TYPE_STRING)

    event = fd.message_type.add(name="Event")
    event.oneof_decl.add(name="what")
    field(event, "wall_time", 1, F.TYPE_DOUBLE)
    field(event, "step", 2, F.TYPE_INT64)
    field(event, "file_version", 3, F.TYPE_STRING, oneof=0)
    field(event, "graph_def", 4, F.TYPE_BYTES, oneof=0)
    field(event, "summary", 5, F.TYPE_MESSAGE, type_name=".check.Summary", oneof=0)
    field(event, "session_log", 7, F.TYPE_MESSAGE, type_name=".check.SessionLog", oneof=0)

    start = fd.message_type.add(name="SessionStartInfo")
    entry = start.nested_type.add(name="HparamsEntry")
    entry.options.map_entry = True
    field(entry, "key", 1, F.TYPE_STRING)
    field(entry, "value", 2, F.TYPE_MESSAGE, type_name=".google.protobuf.Value")
    field(start, "hparams", 1, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".check.SessionStartInfo.HparamsEntry")
    field(start, "model_uri", 2, F.TYPE_STRING)
    field(start, "monitor_url", 3, F.TYPE_STRING)
    field(start, "group_name", 4, F.TYPE_STRING)
    field(start, "start_time_secs", 5, F.TYPE_DOUBLE)
    end = fd.message_type.add(name="SessionEndInfo")
    field(end, "status", 1, F.TYPE_INT32)
    field(end, "end_time_secs", 2, F.TYPE_DOUBLE)
    plugin_data = fd.message_type.add(name="HParamsPluginData")
    plugin_data.oneof_decl.add(name="data")
    field(plugin_data, "version", 1, F.TYPE_INT32)
    field(plugin_data, "experiment", 2, F.TYPE_BYTES, oneof=0)
    field(plugin_data, "session_start_info", 3, F.TYPE_MESSAGE, type_name=".check.SessionStartInfo", oneof=0)
    field(plugin_data, "session_end_info", 4, F.TYPE_MESSAGE, type_name=".check.SessionEndInfo", oneof=0)

    pool.Add(fd)
    return {name: message_class(pool.FindMessageTypeByName("check." + name))
            for name in ("Event", "HParamsPluginData")}


# --- reading and checking ------------------------------------------------------------------------
def f32(value):
    return struct.unpack("<f", struct.pack("<f", value))[0]


def read_events(directory, classes):
    files = sorted(glob.glob(os.path.join(directory, "events.out.tfevents.*")))
    if not files:
        fail("no event files in " + directory)
    Event, HParams = classes["Event"], classes["HParamsPluginData"]
    scalars = {}   # (tag, step) -> value
    hparams = None
    texts = {}
    ends = []
    last_wall = 0.0
    for path in files:
        bodies = records(path)
        if not bodies:
            fail(path + " is empty")
        for n, body in enumerate(bodies):
            event = Event.FromString(body)
            if not event.wall_time > 0:
                fail("%s record %d: wall_time %r" % (path, n, event.wall_time))
            if n == 0:
                if event.WhichOneof("what") != "file_version" or event.file_version != "brain.Event:2":
                    fail("%s: the first event is not file_version brain.Event:2" % path)
                continue
            if event.WhichOneof("what") != "summary":
                fail("%s record %d: not a summary" % (path, n))
            if event.wall_time < last_wall:
                fail("%s record %d: wall_time goes back" % (path, n))
            last_wall = event.wall_time
            for v in event.summary.value:
                kind = v.WhichOneof("value")
                plugin = v.metadata.plugin_data.plugin_name
                if kind == "simple_value":
                    key = (v.tag, event.step)
                    if key in scalars:
                        fail("tag %s appears twice at step %d" % key)
                    scalars[key] = v.simple_value
                elif plugin == "hparams":
                    data = HParams.FromString(v.metadata.plugin_data.content)
                    if data.version != 0:
                        fail("hparams plugin data version %d" % data.version)
                    if v.tag == "_hparams_/session_start_info":
                        if hparams is not None:
                            fail("two hparams session starts")
                        hparams = {k: getattr(val, val.WhichOneof("kind"))
                                   for k, val in data.session_start_info.hparams.items()}
                    elif v.tag == "_hparams_/session_end_info":
                        ends.append((event.step, data.session_end_info.status))
                    else:
                        fail("unknown hparams tag " + v.tag)
                elif plugin == "text":
                    if v.tensor.dtype != 7 or len(v.tensor.string_val) != 1 or v.tensor.tensor_shape.dim:
                        fail("text summary %s is not a scalar string tensor" % v.tag)
                    texts[(v.tag, event.step)] = v.tensor.string_val[0].decode("utf-8")
                else:
                    fail("unexpected summary value %s (%s, plugin %r)" % (v.tag, kind, plugin))
    return files, scalars, hparams, texts, ends


def expected_from_run(run):
    with open(os.path.join(run, "manifest.json")) as f:
        names = json.load(f)["dataset"]["classes"]
    expected = []
    with open(os.path.join(run, "metrics.jsonl")) as f:
        for line in f:
            m = json.loads(line)
            values = {}
            for key, value in m.items():
                if key in ("epoch", "epochs"):
                    continue
                if isinstance(value, bool) or isinstance(value, str) or value is None:
                    continue
                if isinstance(value, (int, float)):
                    values[key] = float(value)
                elif isinstance(value, list) and all(isinstance(x, (int, float)) for x in value):
                    if len(value) != len(names):
                        fail("%s has %d values for %d classes" % (key, len(value), len(names)))
                    for c, x in enumerate(value):
                        values[key + "/" + names[c]] = float(x)
            expected.append({"step": m["epoch"], "values": values})
    return expected


def main(argv):
    if len(argv) >= 2 and argv[0] == "--run":
        run = argv[1]
        expected = expected_from_run(run)
        directory = os.path.join(run, "tensorboard")
    elif len(argv) >= 3 and argv[0] == "--expect":
        with open(argv[1]) as f:
            expected = json.load(f)
        directory = argv[2]
    else:
        print(__doc__)
        return 2
    files, scalars, hparams, texts, ends = read_events(directory, build_pool())
    want = {}
    for entry in expected:
        for tag, value in entry["values"].items():
            if isinstance(value, float) and math.isnan(value):
                continue  # lpl writes no scalar for NaN
            want[(tag, entry["step"])] = value
    for key, value in want.items():
        if key not in scalars:
            fail("missing scalar %s at step %d" % key)
        if scalars[key] != f32(value):
            fail("%s at step %d: wrote %r, expected %r (float32 %r)" % (key[0], key[1], scalars[key], value, f32(value)))
    extra = sorted(set(scalars) - set(want))
    if extra:
        fail("unexpected scalars, e.g. %s at step %d" % extra[0])
    if hparams is None:
        fail("no hparams session start")
    if ("hyperparameters", 0) not in texts:
        fail("no hyperparameters text at step 0")
    steps = sorted({step for (_, step) in scalars})
    print("OK files=%d scalars=%d steps=%s hparams=%d method.type=%s ends=%s"
          % (len(files), len(scalars), ",".join(map(str, steps)), len(hparams), hparams.get("method.type"), ends))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
