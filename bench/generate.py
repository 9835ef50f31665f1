"""Generate a realistic synthetic repository of N entries for benchmarks.

Thai text comes from PyThaiNLP's bundled word list (no download); the sample
entries' front matter shapes are reused so every generated entry is valid.
Deterministic: the same N and seed give byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
TOPICS = [
    "การอ่านจับใจความ",
    "ความฉลาดรู้ทางการเงิน",
    "วิทยาการคำนวณ",
    "สะเต็มศึกษา",
    "การคิดวิเคราะห์",
    "โรงเรียนขนาดเล็ก",
    "ชุมชนแห่งการเรียนรู้ทางวิชาชีพ",
    "การนิเทศภายใน",
    "คณิตศาสตร์",
    "ภาษาอังกฤษ",
    "ภูมิปัญญาท้องถิ่น",
    "Active Learning",
    "Coding",
    "การเรียนรู้เชิงรุก",
]


def _words(rng: random.Random, pool: list[str], count: int) -> str:
    return "".join(rng.choice(pool) for _ in range(count))


def generate(out: Path, count: int, seed: int = 2567, words_per_entry: int = 600) -> Path:
    from pythainlp.corpus import thai_words

    rng = random.Random(seed)
    pool = sorted(w for w in thai_words() if 2 <= len(w) <= 8)
    vocab = yaml.safe_load((REPO_ROOT / "vocabularies.yml").read_text(encoding="utf-8"))
    labels = {kind: [t["th"] for t in terms] for kind, terms in vocab.items()}
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for path in REPO_ROOT.glob("*.yml"):  # mkdocs.yml, vocabularies.yml and other settings
        shutil.copy(path, out / path.name)
    for folder in ("theme", "content"):
        shutil.copytree(REPO_ROOT / folder, out / folder)
    for number in range(count):
        year = 2564 + number % 5
        topic = rng.choice(TOPICS)
        is_bp = number % 7 == 0
        paragraphs = []
        for heading in (
            "ความเป็นมาและความสำคัญ",
            "วัตถุประสงค์",
            "กระบวนการพัฒนานวัตกรรม",
            "ผลการดำเนินงาน",
            "ปัจจัยความสำเร็จ",
        ):
            sentences = [
                _words(rng, pool, rng.randint(8, 16)) for _ in range(words_per_entry // 60)
            ]
            paragraphs.append(f"## {heading}\n\n{topic} " + " ".join(sentences) + "\n")
        meta = {
            "title": f"{topic} {_words(rng, pool, 4)} ชุดที่ {number}",
            "type": "แนวปฏิบัติที่เป็นเลิศ" if is_bp else "นวัตกรรม",
            "category": labels["categories"][number % 3],
            "year": year,
            "sample": True,
            "authors": [
                {
                    "name": f"ครู{_words(rng, pool, 2)} {_words(rng, pool, 2)}",
                    "position": "ครูชำนาญการ",
                }
            ],
            "school": {
                "name": f"โรงเรียนบ้าน{_words(rng, pool, 2)}",
                "district": rng.choice(labels["districts"]),
                "affiliation": rng.choice(labels["affiliations"]),
            },
            "subjects": rng.sample(labels["subjects"], 2),
            "levels": rng.sample(labels["levels"], 2),
            "keywords": [topic, _words(rng, pool, 2)],
            "summary": f"{topic} " + " ".join(_words(rng, pool, 10) for _ in range(4)),
        }
        if is_bp:
            meta["award"] = {
                "title": "รางวัล IFTE",
                "level": rng.choice(labels["award_levels"]),
                "year": year,
            }
        folder = out / "innovations" / str(year) / f"entry-{number:05d}"
        folder.mkdir(parents=True)
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"
        (folder / "index.md").write_text(text + "\n".join(paragraphs), encoding="utf-8")
        # Dated in their year, as a repository's history dates them (there is no git here,
        # so `updated` comes from the file's time): an edit then dates its entry anew, as
        # a commit does, and the build meets what depends on the dates.
        written = dt.datetime(year - 543, 6, 1, tzinfo=dt.UTC).timestamp()
        os.utime(folder / "index.md", (written, written))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2567)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed)
    print(f"generated {args.count} entries in {args.out}")


if __name__ == "__main__":
    main()
