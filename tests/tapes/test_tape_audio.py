"""Joining clips into a tape (tts_app/tapes.py): the sound survives, silences are as long as asked."""

import numpy as np
import soundfile

from tts_app.audio import encode_mp3
from tts_app.engines.base import Clip
from tts_app.tapes import Segment, TapeTags, tape_write

TAGS = TapeTags(title="Scene", artist="RunThru", album="Play", track="1/1")


def tone(seconds: float, rate: int, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_a_long_clip_and_clips_at_another_rate_come_through_whole(tmp_path):
    long_clip, other_rate = tmp_path / "long.mp3", tmp_path / "other.mp3"
    long_clip.write_bytes(encode_mp3(Clip(tone(8.0, 22050), 22050)))  # longer than one encoding block
    other_rate.write_bytes(encode_mp3(Clip(tone(2.0, 24000, 660.0), 24000)))
    out = tmp_path / "tape.mp3"
    result = tape_write(out, [Segment(long_clip, title="a"), Segment(None, 1.5), Segment(other_rate, title="b")],
                        tags=TAGS)
    samples, rate = soundfile.read(str(out), dtype="float32")
    assert rate == 22050 and np.isfinite(samples).all()
    assert abs(len(samples) / rate - (8.0 + 1.5 + 2.0)) < 0.3
    assert abs(result.duration - len(samples) / rate) < 0.2
    # The tone is steady all through the long clip (garbled frames would break it up) ...
    frames = samples[: int(8.0 * rate) // 441 * 441].reshape(-1, 441)[5:-5]
    level = np.sqrt((frames ** 2).mean(axis=1))
    assert level.min() > 0.15 and level.max() < 0.3
    # ... then the silence, then the second clip, resampled to the tape's rate at its own pitch.
    gap = samples[int(8.3 * rate):int(9.3 * rate)]
    assert np.abs(gap).max() < 0.01
    second = samples[int(9.8 * rate):int(11.2 * rate)]
    peak_hz = np.argmax(np.abs(np.fft.rfft(second))) * rate / len(second)
    assert abs(peak_hz - 660.0) < 5


def test_chapters_mark_where_each_titled_piece_starts(tmp_path):
    clip = tmp_path / "c.mp3"
    clip.write_bytes(encode_mp3(Clip(tone(1.0, 22050), 22050)))
    result = tape_write(tmp_path / "t.mp3", [Segment(clip, title="one"), Segment(None, 2.0, title="yours"),
                                             Segment(clip, title="two")], tags=TAGS)
    assert [c.title for c in result.chapters] == ["one", "yours", "two"]
    starts = [c.start_ms for c in result.chapters]
    assert starts[0] == 0 and abs(starts[2] - starts[1] - 2000) <= 1
    assert not list(tmp_path.glob(".tmp-*")) and not list(tmp_path.glob(".tape-*"))


def test_a_long_clip_decodes_without_a_garbled_frame(tmp_path, capfd):
    # Speech-like noise fills LAME's bit reservoir: reading such a clip in pieces (a seek per
    # piece) made mpg123 drop frames, heard as clicks and gaps.
    noisy = tmp_path / "noisy.mp3"
    rng = np.random.default_rng(7)
    noisy.write_bytes(encode_mp3(Clip((rng.normal(0, 0.2, 22050 * 10) * tone(10.0, 22050, 3.0)).astype(np.float32),
                                      22050)))
    capfd.readouterr()
    tape_write(tmp_path / "t.mp3", [Segment(noisy)], tags=TAGS)
    assert "error" not in capfd.readouterr().err
