"""Finds out what a recorded call carried: the loudest frequency and the level of a WAV file.

Pure Python (no numpy) so integration tests need no extra package. The recordings are short
(a few seconds at 8 kHz from baresip's sndfile module), so one FFT over at most 16384 samples
is quick enough.
"""

import cmath
import math
import struct

# Below this RMS (fraction of full scale, about -50 dBFS) a recording counts as silence: G.711's
# quantisation noise on a silent line stays well below it, baresip's ausine tone (-9 dBFS) far
# above.
SILENCE_RMS = 0.003
_MAX_FFT_SIZE = 16384


class Wav:
    """Mono samples in [-1, 1) and their sample rate; several channels are averaged."""

    def __init__(self, rate, samples):
        self.rate = rate
        self.samples = samples

    @property
    def seconds(self):
        return len(self.samples) / self.rate if self.rate else 0.0

    def segment(self, start_seconds=0.0, end_seconds=None):
        """The samples between two times (seconds from the start of the file)."""
        first = max(0, int(start_seconds * self.rate))
        if end_seconds is None:
            return self.samples[first:]
        last = max(first, int(end_seconds * self.rate))
        return self.samples[first:last]


def read_wav(path):
    """Reads a PCM WAV file. A file still being written (baresip closes its recordings only when
    the call's media stops) has a data size of 0 in its header: then the data runs to the end of
    the file."""
    with open(path, "rb") as wav:
        data = wav.read()
    if len(data) < 12 or data[0:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a WAV file")
    position, channels, rate, width, encoding, pcm = 12, 1, 0, 2, 1, None
    while position + 8 <= len(data):
        chunk = data[position:position + 4]
        size = struct.unpack("<I", data[position + 4:position + 8])[0]
        body = position + 8
        if chunk == b"fmt ":
            encoding, channels, rate = struct.unpack("<HHI", data[body:body + 8])
            width = struct.unpack("<H", data[body + 14:body + 16])[0] // 8
        elif chunk == b"data":
            end = len(data) if size in (0, 0xFFFFFFFF) or body + size > len(data) else body + size
            pcm = data[body:end]
            break
        position = body + size + (size & 1)
    if pcm is None or not rate:
        raise ValueError(f"{path}: no fmt or data chunk")
    if encoding not in (1, 0xFFFE) or width not in (1, 2, 4):
        raise ValueError(f"{path}: unsupported WAV encoding {encoding} with {width * 8} bits")
    frame = width * channels
    pcm = pcm[:len(pcm) - len(pcm) % frame]
    if width == 1:
        values = [(byte - 128) / 128.0 for byte in pcm]
    else:
        code, scale = ("h", 32768.0) if width == 2 else ("i", 2147483648.0)
        values = [value / scale for value in struct.unpack(f"<{len(pcm) // width}{code}", pcm)]
    if channels > 1:
        values = [sum(values[i:i + channels]) / channels for i in range(0, len(values), channels)]
    return Wav(rate, values)


def _load(wav):
    return wav if isinstance(wav, Wav) else read_wav(wav)


def rms_level(wav_path, skip_seconds=0.0, end_seconds=None):
    """Root mean square of the samples as a fraction of full scale (0 = silence, a full-scale
    sine is 0.707). `wav_path` may also be a Wav from read_wav()."""
    samples = _load(wav_path).segment(skip_seconds, end_seconds)
    if not samples:
        return 0.0
    return math.sqrt(sum(value * value for value in samples) / len(samples))


def rms_dbfs(wav_path, skip_seconds=0.0, end_seconds=None):
    """The RMS level in dB relative to full scale; -inf for digital silence."""
    level = rms_level(wav_path, skip_seconds, end_seconds)
    return 20 * math.log10(level) if level > 0 else float("-inf")


def levels(wav_path, step_seconds=0.1):
    """RMS level per step over the whole file: shows where a call went silent (hold)."""
    wav = _load(wav_path)
    size = max(1, int(step_seconds * wav.rate))
    return [math.sqrt(sum(v * v for v in wav.samples[i:i + size]) / len(wav.samples[i:i + size]))
            for i in range(0, len(wav.samples), size)]


def _fft(values):
    """Iterative radix-2 FFT of a list whose length is a power of two."""
    size = len(values)
    result = list(values)
    j = 0
    for i in range(1, size):
        bit = size >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
        if i < j:
            result[i], result[j] = result[j], result[i]
    length = 2
    while length <= size:
        step = cmath.exp(-2j * math.pi / length)
        half = length // 2
        twiddles = [step ** k for k in range(half)]
        for start in range(0, size, length):
            for k in range(half):
                even = result[start + k]
                odd = result[start + k + half] * twiddles[k]
                result[start + k] = even + odd
                result[start + k + half] = even - odd
        length <<= 1
    return result


def spectrum(wav_path, skip_seconds=0.5, duration_seconds=None):
    """(rate, fft size, power per FFT bin up to Nyquist) of a Hann-windowed stretch of the file
    starting at skip_seconds. The stretch is the longest power of two samples that fits
    (at most 16384, about 2 s at 8 kHz)."""
    wav = _load(wav_path)
    end = None if duration_seconds is None else skip_seconds + duration_seconds
    samples = wav.segment(skip_seconds, end)
    if len(samples) < 64:
        raise ValueError(f"only {len(samples)} samples after {skip_seconds}s: "
                         "the recording is too short")
    size = 1 << min(len(samples).bit_length() - 1, _MAX_FFT_SIZE.bit_length() - 1)
    samples = samples[:size]
    mean = sum(samples) / size
    window = [0.5 - 0.5 * math.cos(2 * math.pi * i / (size - 1)) for i in range(size)]
    bins = _fft([(value - mean) * weight for value, weight in zip(samples, window)])
    return wav.rate, size, [abs(value) ** 2 for value in bins[:size // 2 + 1]]


def dominant_frequency(wav_path, skip_seconds=0.5, duration_seconds=None):
    """The loudest frequency in Hz, skipping the first skip_seconds (jitter buffer start-up).
    Accurate to about 1 Hz for a steady tone (peak interpolated between FFT bins)."""
    rate, size, power = spectrum(wav_path, skip_seconds, duration_seconds)
    peak = max(range(1, len(power)), key=power.__getitem__)
    offset = 0.0
    if 1 <= peak < len(power) - 1:
        # Quadratic interpolation on log power: a Hann-windowed sine's peak is close to a parabola.
        left, middle, right = (math.log(power[i] + 1e-30) for i in (peak - 1, peak, peak + 1))
        denominator = left - 2 * middle + right
        if denominator:
            offset = max(-0.5, min(0.5, 0.5 * (left - right) / denominator))
    return (peak + offset) * rate / size


def tone_fraction(wav_path, hz, tolerance_hz=20, skip_seconds=0.5, duration_seconds=None):
    """The share (0..1) of the recording's energy within tolerance_hz of hz. A clean tone gives
    about 1, two tones mixed at equal level about 0.5 each, noise or silence little."""
    rate, size, power = spectrum(wav_path, skip_seconds, duration_seconds)
    total = sum(power[1:])
    if total <= 0:
        return 0.0
    resolution = rate / size
    # The Hann window spreads a pure tone over two bins either side of its own.
    reach = tolerance_hz + 2 * resolution
    near = sum(p for i, p in enumerate(power) if i and abs(i * resolution - hz) <= reach)
    return near / total


def has_tone(wav_path, hz, tolerance_hz=20, skip_seconds=0.5, min_rms=SILENCE_RMS,
             min_fraction=0.3):
    """True if the recording is not silent, its dominant frequency is within tolerance_hz of hz
    and that tone carries at least min_fraction of the energy (noise peaking there by chance
    does not count)."""
    wav = _load(wav_path)
    if rms_level(wav, skip_seconds) < min_rms:
        return False
    if abs(dominant_frequency(wav, skip_seconds) - hz) > tolerance_hz:
        return False
    return tone_fraction(wav, hz, tolerance_hz, skip_seconds) >= min_fraction


def describe(wav_path, skip_seconds=0.5):
    """A one-line summary for assertion messages: length, level and dominant frequency."""
    try:
        wav = _load(wav_path)
        summary = f"{wav.seconds:.2f}s at {wav.rate} Hz, {rms_dbfs(wav, skip_seconds):.1f} dBFS"
        if wav.seconds - skip_seconds <= 0.05:
            summary += ", too short to analyse"
        elif rms_level(wav, skip_seconds) < SILENCE_RMS:
            summary += ", silent"
        else:
            summary += f", dominant {dominant_frequency(wav, skip_seconds):.1f} Hz"
        return summary
    except (OSError, ValueError) as error:
        return f"unreadable ({error})"
