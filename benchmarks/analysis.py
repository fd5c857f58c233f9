"""Audio analysis throughput, memory and GUI responsiveness, with librosa side by side.

    .venv/bin/python benchmarks/analysis.py [--music DIR] [--compare N] [--workers W]

DIR defaults to ~/.cache/encore-testdata/debian-music (fetch it with
../shared/data/get-debian-music.sh). Three parts, measured in the same run:

1. Single core, in this process (BLAS limited to one thread), on N files over 1 MB spread
   evenly from the smallest to the largest:
   ours (PyAV decode + every Encore feature, loudness included) against librosa computing
   the equivalent features (librosa.load at 22,050 Hz mono, STFT, centroid, bandwidth,
   rolloff, flatness, RMS, 64-band mel, 20 MFCCs, chroma, zero-crossing rate, onset
   strength, tempo; librosa has no EBU R128, so it does less). librosa is NOT an Encore
   dependency: `pip install librosa` into .venv to get the comparison; without it that part
   is skipped.
2. End to end: a fresh database, `Scanner` over DIR (+ the librosa clips), then the
   background AnalysisWorker (W low-priority processes) while a 10 ms QTimer on the GUI
   thread records its largest gap. Reports x real time per core (audio seconds / worker CPU
   seconds), wall-clock speed, peak RSS per worker, features vs. reasons.
3. Similarity: for each analysed track over 30 s, is its nearest neighbour from the same
   soundtrack (Debian package)? Against chance.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from player.analysis.decode import decode  # noqa: E402
from player.analysis.features import FEATURE_VERSION, analyse_file  # noqa: E402
from player.analysis.similarity import nearest  # noqa: E402
from player.db.connection import open_database  # noqa: E402
from player.db.features import FeatureRepository  # noqa: E402
from player.library.scanner import Scanner  # noqa: E402

DEFAULT_MUSIC = Path.home() / ".cache" / "encore-testdata" / "debian-music"
LIBROSA_CLIPS = ROOT.parent / "shared" / "data" / "audio" / "librosa"


def ours(path: str) -> float:
    return analyse_file(path).seconds  # exactly what a worker runs


def librosa_equivalent(path: str) -> float:
    import librosa

    y, sr = librosa.load(path, sr=22050, mono=True, duration=600.0)
    spectrum = np.abs(librosa.stft(y, n_fft=2048, hop_length=512))
    librosa.feature.spectral_centroid(S=spectrum, sr=sr)
    librosa.feature.spectral_bandwidth(S=spectrum, sr=sr)
    librosa.feature.spectral_rolloff(S=spectrum, sr=sr)
    librosa.feature.spectral_flatness(S=spectrum)
    librosa.feature.rms(S=spectrum)
    mel = librosa.feature.melspectrogram(S=spectrum**2, sr=sr, n_mels=64)
    librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=20)
    librosa.feature.chroma_stft(S=spectrum**2, sr=sr)
    librosa.feature.zero_crossing_rate(y)
    onset = librosa.onset.onset_strength(y=y, sr=sr)
    librosa.feature.tempo(onset_envelope=onset, sr=sr)
    return len(y) / sr


def decode_ours(path: str) -> float:
    return decode(path).seconds


def decode_librosa(path: str) -> float:
    import librosa

    y, sr = librosa.load(path, sr=22050, mono=True, duration=600.0)
    return len(y) / sr


def timed(fn, paths: list[str]) -> tuple[float, float]:
    fn(paths[0])  # warm-up (imports, numba compilation) outside the timing
    audio, started = 0.0, time.process_time()
    for path in paths:
        audio += fn(path)
    return audio, time.process_time() - started


def single_core(files: list[str], count: int) -> None:
    # Files over 1 MB (about a minute and more), evenly spread from smallest to largest.
    music = sorted((p for p in files if os.path.getsize(p) > 1_000_000), key=os.path.getsize)
    longest = [music[int(i * (len(music) - 1) / max(1, count - 1))] for i in range(count)] if music else []
    longest = list(dict.fromkeys(longest))
    print(f"\n1. single core, {len(longest)} files over 1 MB, smallest to largest (CPU seconds, this process)")
    audio, cpu = timed(ours, longest)
    print(f"   encore : {audio:8.1f} s of audio in {cpu:6.2f} s CPU = {audio / cpu:6.1f}x real time per core")
    try:
        import librosa  # noqa: F401
    except ImportError:
        print("   librosa: not installed, comparison skipped (pip install librosa into .venv)")
        return
    l_audio, l_cpu = timed(librosa_equivalent, longest)
    print(f"   librosa: {l_audio:8.1f} s of audio in {l_cpu:6.2f} s CPU = {l_audio / l_cpu:6.1f}x real time per core")
    print(f"   encore is {(audio / cpu) / (l_audio / l_cpu):.2f}x faster than librosa, decode included (goal >= 3x)")
    _, d_cpu = timed(decode_ours, longest)
    _, ld_cpu = timed(decode_librosa, longest)
    print(f"   decode alone: encore (PyAV) {d_cpu:.2f} s, librosa.load {ld_cpu:.2f} s; the rest (encore: loudness "
          f"at the source rate + features): "
          f"encore {cpu - d_cpu:.2f} s, librosa {l_cpu - ld_cpu:.2f} s = "
          f"{(l_cpu - ld_cpu) / max(cpu - d_cpu, 1e-9):.1f}x faster")


def end_to_end(folders: list[str], workers: int) -> str:
    from PySide6.QtCore import QElapsedTimer, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from player.qt.analysis_worker import AnalysisWorker

    app = QApplication.instance() or QApplication([])
    db_path = str(Path(tempfile.mkdtemp()) / "bench.db")
    db = open_database(db_path)
    Scanner(db).scan(folders)
    worker = AnalysisWorker(db, workers=workers)
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    probe = QTimer()
    probe.timeout.connect(tick)
    probe.start(10)
    result: list[object] = []
    worker.signals.finished.connect(lambda report: (result.append(report), app.quit()))
    QThreadPool.globalInstance().start(worker)
    app.exec()
    probe.stop()
    report = result[0]
    counts = FeatureRepository(db).counts(FEATURE_VERSION)
    print(f"\n2. end to end over {', '.join(folders)} ({report.workers} worker processes, nice 10)")
    print(f"   {report.analysed} analysed, {report.failed} with a reason, {counts.pending} left "
          f"(library: {counts.tracks} tracks)")
    print(f"   {report.audio_seconds:.0f} s of audio, {report.seconds:.1f} s wall = "
          f"{report.audio_seconds / report.seconds:.0f}x real time on {report.workers} workers; "
          f"{report.audio_seconds / report.worker_cpu_seconds:.0f}x real time per core (worker CPU)")
    print(f"   peak RSS per worker: {report.max_worker_rss_mb:.0f} MB (goal < 300 MB)")
    print(f"   GUI thread 10 ms timer: {len(gaps)} ticks, largest gap {max(gaps):.0f} ms, "
          f"99th percentile {np.percentile(gaps, 99):.0f} ms")
    for _, path, reason in FeatureRepository(db).errors(FEATURE_VERSION):
        print(f"     reason: {Path(path).parent.name}/{Path(path).name}: {reason}")
    return db_path


def neighbours(db_path: str) -> None:
    db = open_database(db_path)
    rows = db.query("SELECT t.id, t.path, json_extract(f.features, '$.seconds') FROM track t "
                    "JOIN audio_features f ON f.track_id = t.id WHERE f.error IS NULL")
    label = {r[0]: Path(r[1]).parent.name for r in rows if r[2] and r[2] > 30 and "debian" in r[1]}
    ids, matrix = FeatureRepository(db).vectors(FEATURE_VERSION)
    keep = [i for i, track_id in enumerate(ids) if track_id in label]
    ids, matrix = [ids[i] for i in keep], matrix[keep]
    hits = sum(label[nearest(ids, matrix, t, 1)[0][0]] == label[t] for t in ids)
    sizes = Counter(label[t] for t in ids)
    chance = sum(n * (n - 1) for n in sizes.values()) / (len(ids) * (len(ids) - 1))
    print(f"\n3. similarity: nearest neighbour from the same soundtrack for {hits}/{len(ids)} "
          f"tracks over 30 s = {hits / len(ids):.0%} (chance {chance:.0%}; {dict(sizes)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--music", default=str(DEFAULT_MUSIC))
    parser.add_argument("--compare", type=int, default=12, help="files for the librosa comparison")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    files = [str(p) for p in Path(args.music).rglob("*") if p.suffix in {".ogg", ".opus", ".mp3", ".flac"}]
    if not files:
        sys.exit(f"no music under {args.music}: run ../shared/data/get-debian-music.sh first")
    print(f"Encore analysis benchmark, feature version {FEATURE_VERSION}, {os.cpu_count()} cores")
    decodable = []
    for path in files:
        try:
            decode(path, max_seconds=1.0)
            decodable.append(path)
        except Exception:  # counted in part 2 with its reason
            pass
    single_core(decodable, args.compare)
    db_path = end_to_end([args.music, str(LIBROSA_CLIPS)], args.workers)
    neighbours(db_path)


if __name__ == "__main__":
    main()
