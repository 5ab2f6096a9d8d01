"""Reference PyTorch modules of lpl's bundled networks, and a safetensors reader/writer.

Every class mirrors one lpl block (lpl-models, ``dev.lpl.models``) with the same children in the
same order, so ``model.state_dict()`` names are exactly those ``lpl export`` writes (the rules are
in ``dev.lpl.core.interop.TorchNames``: a DJL SequentialBlock child is its 0-based position, like
``nn.Sequential``; any other child keeps its name; batch norms use BatchNorm2d's names).
``lpl_models.build(...)`` and ``model.load_state_dict(load_safetensors(path))`` therefore load an
lpl run's weights, and the network then computes the same logits as lpl (``lpl export`` and this
file are tested against each other to 1e-4).

    import lpl_models
    model = lpl_models.build('resnet32', num_classes=10, head='linear')
    model.load_state_dict(lpl_models.load_safetensors('x.safetensors'))
    model.eval()
    # or, from the file's own metadata (model, options, head, classes, input channels):
    model = lpl_models.from_safetensors('x.safetensors').eval()

Inputs are what lpl feeds its networks: B x C x H x W float32 images scaled to [0, 1] and
normalised per channel with the training set's mean and standard deviation.

The safetensors functions follow the published layout (an 8-byte little-endian header length, a
JSON header of dtype / shape / data_offsets per tensor and an optional ``__metadata__`` object of
strings, then the raw little-endian tensor bytes); they need only PyTorch, not the ``safetensors``
package. Needs PyTorch >= 1.10 (``torch.frombuffer``).
"""

import json
import re
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ['build', 'from_safetensors', 'load_safetensors', 'read_safetensors', 'save_safetensors',
           'MODELS', 'LplNet']

# Batch norm as lpl builds it (Convolutions.batchNorm): PyTorch's defaults, eps 1e-5, momentum 0.1.
BN_EPS = 1e-5
BN_MOMENTUM = 0.1


# --- layers (dev.lpl.models.layers) ----------------------------------------------------------

def conv3x3(in_channels, out_channels, stride=1):
    """A 3x3 convolution, padding 1, no bias (Convolutions.conv3x3)."""
    return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)


def conv1x1(in_channels, out_channels, stride=1):
    """A 1x1 convolution, no padding, no bias (Convolutions.conv1x1)."""
    return nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)


def batch_norm(channels):
    return nn.BatchNorm2d(channels, eps=BN_EPS, momentum=BN_MOMENTUM)


class ConvBnRelu(nn.Module):
    """relu(bn(conv3x3(x))): the CIFAR ResNet stem and the small CNN's unit (ConvBnRelu)."""

    def __init__(self, in_channels, filters, stride=1):
        super().__init__()
        self.conv = conv3x3(in_channels, filters, stride)
        self.bn = batch_norm(filters)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class BnRelu(nn.Module):
    """relu(bn(x)): the Wide-ResNet's final pre-activation (BnRelu)."""

    def __init__(self, channels):
        super().__init__()
        self.bn = batch_norm(channels)

    def forward(self, x):
        return F.relu(self.bn(x))


class GlobalAvgPool(nn.Module):
    """B x C x H x W -> B x C, the mean over every channel's positions (GlobalAvgPool)."""

    def forward(self, x):
        return x.mean(dim=(2, 3))


class ZeroPadShortcut(nn.Module):
    """Option A: subsample with the stride, zero-pad the channels (out - in) / 2 on each side
    (ZeroPadShortcut, LDAM-DRW's LambdaLayer)."""

    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.stride = stride
        self.before = (out_channels - in_channels) // 2
        self.after = out_channels - in_channels - self.before

    def forward(self, x):
        if self.stride != 1:
            x = x[:, :, ::self.stride, ::self.stride]
        if self.before == 0 and self.after == 0:
            return x
        return F.pad(x, (0, 0, 0, 0, self.before, self.after))


class SqueezeExcitation(nn.Module):
    """x * sigmoid(fc2(relu(fc1(avgpool(x))))), bias-free FCs, hidden C // r (SqueezeExcitation)."""

    def __init__(self, channels, reduction):
        super().__init__()
        hidden = channels // reduction
        if hidden < 1:
            raise ValueError(f'squeeze-and-excitation of {channels} channels needs reduction <= {channels}')
        self.fc1 = nn.Linear(channels, hidden, bias=False)
        self.fc2 = nn.Linear(hidden, channels, bias=False)

    def forward(self, x):
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(x.mean(dim=(2, 3))))))
        return x * s.view(x.shape[0], x.shape[1], 1, 1)


class BasicBlock(nn.Module):
    """relu([se](bn2(conv2(drop(relu(bn1(conv1(x))))))) + shortcut(x)) (BasicBlock).

    The shortcut is the identity when the shape is kept, else option 'a' (ZeroPadShortcut) or 'b'
    (1x1 convolution with the stride, then batch norm)."""

    def __init__(self, in_channels, out_channels, stride, shortcut='a', dropout=0.0, reduction=0):
        super().__init__()
        self.conv1 = conv3x3(in_channels, out_channels, stride)
        self.bn1 = batch_norm(out_channels)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else None
        self.conv2 = conv3x3(out_channels, out_channels)
        self.bn2 = batch_norm(out_channels)
        self.se = SqueezeExcitation(out_channels, reduction) if reduction > 0 else None
        if stride == 1 and in_channels == out_channels:
            self.shortcut = None
        elif shortcut == 'a':
            self.shortcut = ZeroPadShortcut(in_channels, out_channels, stride)
        elif shortcut == 'b':
            self.shortcut = nn.Sequential(conv1x1(in_channels, out_channels, stride), batch_norm(out_channels))
        else:
            raise ValueError(f"shortcut must be 'a' or 'b', got {shortcut!r}")

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        if self.dropout is not None:
            out = self.dropout(out)
        out = self.bn2(self.conv2(out))
        if self.se is not None:
            out = self.se(out)
        identity = x if self.shortcut is None else self.shortcut(x)
        return F.relu(out + identity)


class WideBasicBlock(nn.Module):
    """Pre-activation block: a = relu(bn1(x)); conv2(drop(relu(bn2(conv1(a))))) + (x or conv1x1(a))
    (WideBasicBlock; the projection takes the pre-activated input, no activation after the sum)."""

    def __init__(self, in_channels, out_channels, stride, dropout=0.0):
        super().__init__()
        self.bn1 = batch_norm(in_channels)
        self.conv1 = conv3x3(in_channels, out_channels, stride)
        self.bn2 = batch_norm(out_channels)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else None
        self.conv2 = conv3x3(out_channels, out_channels)
        self.shortcut = None if stride == 1 and in_channels == out_channels \
            else conv1x1(in_channels, out_channels, stride)

    def forward(self, x):
        a = F.relu(self.bn1(x))
        out = F.relu(self.bn2(self.conv1(a)))
        if self.dropout is not None:
            out = self.dropout(out)
        out = self.conv2(out)
        return out + (x if self.shortcut is None else self.shortcut(a))


class CosineClassifier(nn.Module):
    """normalize(x, dim=1) @ normalize(W, dim=0) with a D x C weight, no bias, no scale: logits are
    cosines in [-1, 1] (CosineClassifier, LDAM-DRW's NormedLinear; LDAM's scale s is part of its
    loss, not of the network)."""

    EPS = 1e-12

    def __init__(self, in_features, num_classes):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, num_classes))
        nn.init.kaiming_normal_(self.weight)

    def forward(self, x):
        return F.normalize(x, dim=1, eps=self.EPS) @ F.normalize(self.weight, dim=0, eps=self.EPS)


def head(kind, in_features, num_classes):
    """The classifier of model.head: linear, linear-no-bias or cosine (Heads)."""
    if kind == 'linear':
        return nn.Linear(in_features, num_classes)
    if kind == 'linear-no-bias':
        return nn.Linear(in_features, num_classes, bias=False)
    if kind == 'cosine':
        return CosineClassifier(in_features, num_classes)
    raise ValueError(f"head must be linear, linear-no-bias or cosine, got {kind!r}")


class LplNet(nn.Module):
    """classifier(features(x)) (ClassifierBlock): features maps images to B x D, classifier to
    B x C logits."""

    def __init__(self, features, classifier, feature_dim):
        super().__init__()
        self.features = features
        self.classifier = classifier
        self.feature_dim = feature_dim

    def forward(self, x):
        return self.classifier(self.features(x))


# --- networks (dev.lpl.models) ----------------------------------------------------------------

def small_cnn(num_classes, head_kind='linear', in_channels=3, width=32, dropout=0.0):
    """small-cnn (SmallCnnFactory): conv(w), maxpool, conv(w), conv(2w), maxpool, conv(2w), GAP."""
    layers = [ConvBnRelu(in_channels, width), nn.MaxPool2d(2, 2),
              ConvBnRelu(width, width), ConvBnRelu(width, 2 * width), nn.MaxPool2d(2, 2),
              ConvBnRelu(2 * width, 2 * width), GlobalAvgPool()]
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    return LplNet(nn.Sequential(*layers), head(head_kind, 2 * width, num_classes), 2 * width)


def cifar_resnet(depth, num_classes, head_kind='linear', in_channels=3, shortcut='a', dropout=0.0,
                 reduction=0):
    """resnet<6n+2> / se-resnet<6n+2> (CifarResNetFactory): stem, 3 stages of n blocks with 16/32/64
    channels and strides 1/2/2, GAP; D = 64."""
    if depth < 8 or (depth - 2) % 6:
        raise ValueError(f'a CIFAR ResNet has depth 6n + 2, got {depth}')
    n = (depth - 2) // 6
    layers = [ConvBnRelu(in_channels, 16)]
    channels = 16
    for stage in range(3):
        planes = 16 << stage
        for block in range(n):
            stride = 2 if stage > 0 and block == 0 else 1
            layers.append(BasicBlock(channels, planes, stride, shortcut, dropout, reduction))
            channels = planes
    layers.append(GlobalAvgPool())
    return LplNet(nn.Sequential(*layers), head(head_kind, 64, num_classes), 64)


def wide_resnet(depth, widen_factor, num_classes, head_kind='linear', in_channels=3, dropout=0.3):
    """wrn-<d>-<k> (WideResNetFactory): conv3x3(16), 3 groups of n pre-activation blocks with
    16k/32k/64k channels and strides 1/2/2, bn-relu, GAP; D = 64k."""
    if depth < 10 or (depth - 4) % 6:
        raise ValueError(f'a Wide-ResNet has depth 6n + 4, got {depth}')
    n = (depth - 4) // 6
    layers = [conv3x3(in_channels, 16)]
    channels = 16
    for group in range(3):
        width = (16 << group) * widen_factor
        for block in range(n):
            stride = 2 if group > 0 and block == 0 else 1
            layers.append(WideBasicBlock(channels, width, stride, dropout))
            channels = width
    layers += [BnRelu(channels), GlobalAvgPool()]
    return LplNet(nn.Sequential(*layers), head(head_kind, channels, num_classes), channels)


# Defaults as in lpl-models' reference.conf.
MODELS = {
    'small-cnn': dict(width=32, dropout=0.0),
    'resnet32': dict(shortcut='a', dropout=0.0),
    'resnet110': dict(shortcut='a', dropout=0.0),
    'se-resnet110': dict(shortcut='b', dropout=0.0, reduction=16),
    'wrn-28-10': dict(dropout=0.3),
    'wrn-16-8': dict(dropout=0.3),
}


def build(name, num_classes, head='linear', in_channels=3, **options):
    """Builds lpl's model.type = name with model.head = head for images of in_channels channels (1
    for Fashion-MNIST and the synthetic set, 3 for CIFAR); options are the model's own settings
    (lpl.model.<name>: width, dropout, shortcut, reduction), defaulting to lpl's."""
    options = {k.replace('-', '_'): v for k, v in options.items()}
    settings = dict(MODELS.get(name, {}))
    settings.update(options)
    if name == 'small-cnn':
        return small_cnn(num_classes, head, in_channels, int(settings['width']),
                         float(settings['dropout']))
    match = re.fullmatch(r'(se-)?resnet(\d+)', name)
    if match:
        se = match.group(1) is not None
        return cifar_resnet(int(match.group(2)), num_classes, head, in_channels,
                            str(settings.get('shortcut', 'b' if se else 'a')),
                            float(settings.get('dropout', 0.0)),
                            int(settings.get('reduction', 16)) if se else 0)
    match = re.fullmatch(r'wrn-(\d+)-(\d+)', name)
    if match:
        return wide_resnet(int(match.group(1)), int(match.group(2)), num_classes, head, in_channels,
                           float(settings.get('dropout', 0.3)))
    raise ValueError(f'unknown model {name!r}; known: {", ".join(MODELS)}')


# --- safetensors --------------------------------------------------------------------------------

_DTYPES = {
    'F64': torch.float64, 'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16,
    'I64': torch.int64, 'I32': torch.int32, 'I16': torch.int16, 'I8': torch.int8, 'U8': torch.uint8,
    'BOOL': torch.bool,
}
_NAMES = {v: k for k, v in _DTYPES.items()}


def read_safetensors(path):
    """Reads a safetensors file: returns ({name: tensor}, {metadata key: string})."""
    if sys.byteorder != 'little':
        raise RuntimeError('this reader assumes a little-endian machine')
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f'{path}: not a safetensors file (shorter than 8 bytes)')
    (n,) = struct.unpack('<Q', data[:8])
    if n > len(data) - 8:
        raise ValueError(f'{path}: not a safetensors file (header length {n} exceeds the file)')
    header = json.loads(data[8:8 + n].decode('utf-8'))
    metadata = header.pop('__metadata__', None) or {}
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        dtype = _DTYPES[info['dtype']]
        shape = list(info['shape'])
        begin, end = info['data_offsets']
        count = 1
        for s in shape:
            count *= s
        if end - begin != count * torch.tensor([], dtype=dtype).element_size() or base + end > len(data):
            raise ValueError(f'{path}: tensor {name} has {end - begin} bytes for shape {shape} of {info["dtype"]}')
        if count == 0:
            tensors[name] = torch.empty(shape, dtype=dtype)
        else:
            tensors[name] = torch.frombuffer(bytearray(data[base + begin:base + end]), dtype=dtype).reshape(shape)
    return tensors, metadata


def load_safetensors(path):
    """Reads a safetensors file into a state_dict ({name: tensor}), for model.load_state_dict."""
    return read_safetensors(path)[0]


def save_safetensors(path, state_dict, metadata=None):
    """Writes a state_dict as safetensors (e.g. PyTorch weights for lpl's model.init-from)."""
    header = {}
    if metadata:
        header['__metadata__'] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name, tensor in state_dict.items():
        t = tensor.detach().cpu().contiguous()
        if t.dtype not in _NAMES or t.dtype == torch.bfloat16:
            raise ValueError(f'{name}: dtype {t.dtype} is not supported here')
        blob = t.numpy().tobytes()
        header[name] = {'dtype': _NAMES[t.dtype], 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header, separators=(',', ':')).encode('utf-8')
    encoded += b' ' * (-len(encoded) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def from_safetensors(path):
    """Builds the network an `lpl export` file describes (its __metadata__) and loads its weights."""
    tensors, metadata = read_safetensors(path)
    if 'lpl.model' not in metadata:
        raise ValueError(f'{path} has no lpl metadata; use build(...) and load_state_dict(load_safetensors(...))')
    model = build(metadata['lpl.model'], int(metadata['lpl.num_classes']), metadata['lpl.head'],
                  in_channels=json.loads(metadata['lpl.image_shape'])[0],
                  **json.loads(metadata.get('lpl.model_options', '{}')))
    model.load_state_dict(tensors)
    return model
