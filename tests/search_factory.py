"""Tiny `Entry` factory for the search tests (no files, no loader)."""

from __future__ import annotations

from pathlib import Path

from build_tools.core.model import Author, Entry, School


def make_entry(
    slug: str,
    title: str,
    summary: str = "",
    body: str = "",
    *,
    year: int = 2567,
    keywords: tuple[str, ...] = (),
    district: str = "mueang-lop-buri",
    school: str = "โรงเรียนตัวอย่าง",
    subjects: tuple[str, ...] = ("thai",),
    title_en: str = "",
    type: str = "innovation",
) -> Entry:
    return Entry(
        year=year,
        slug=slug,
        title=title,
        title_en=title_en,
        type=type,
        category="learning",
        authors=(Author("นางสาวทดสอบ ระบบ"),),
        school=School(school, district, "pesao-lopburi-1"),
        summary=summary,
        body=body,
        source_path=Path(f"innovations/{year}/{slug}/index.md"),
        subjects=subjects,
        keywords=keywords,
    )


# A small corpus that exercises compounds, inner words, places and mixed Thai/English.
CORPUS = (
    make_entry(
        "reading-kit",
        "ชุดกิจกรรมพัฒนาการอ่านจับใจความ",
        "ชุดกิจกรรมช่วยให้นักเรียนชั้น ป.4 อ่านจับใจความได้ดีขึ้น",
        "## ความเป็นมา\n\nนักเรียนอ่านไม่คล่อง ครูจึงพัฒนาชุดกิจกรรม",
        keywords=("การอ่าน", "จับใจความ"),
        district="khok-samrong",
        school="โรงเรียนบ้านโคกสำโรง",
    ),
    make_entry(
        "finance-market",
        "ความฉลาดรู้ทางการเงินผ่านตลาดนัดชุมชน",
        "นักเรียนฝึกวางแผนรายรับรายจ่ายจากการขายของในตลาดนัด",
        "ผลสัมฤทธิ์ **คณิตศาสตร์** ดีขึ้น",
        year=2565,
        keywords=("ความฉลาดรู้ทางการเงิน", "คณิตศาสตร์"),
        subjects=("math",),
        district="ban-mi",
    ),
    make_entry(
        "stem-sunflower",
        "กิจกรรมสะเต็มศึกษาปฐมวัยกับต้นทานตะวัน",
        "เด็กปฐมวัยปลูกทานตะวันและบันทึกการเจริญเติบโต",
        "STEM Education สำหรับโรงเรียนขนาดเล็ก",
        year=2564,
        keywords=("STEM", "สะเต็มศึกษา"),
        subjects=("early-childhood",),
        district="phatthana-nikhom",
        title_en="Early-childhood STEM with sunflowers",
    ),
    make_entry(
        "active-learning",
        "การจัดการเรียนรู้เชิงรุกวิชาวิทยาศาสตร์",
        "การเรียนรู้แบบ Active Learning ด้วยการทดลอง",
        "ครูใช้คำถามกระตุ้นการคิด",
        year=2566,
        subjects=("science",),
    ),
    make_entry(
        "small-school",
        "การบริหารโรงเรียนขนาดเล็กด้วยเครือข่ายชุมชน",
        "โรงเรียนขนาดเล็กร่วมมือกับชุมชนบ้านหมี่",
        "",
        year=2566,
        type="best_practice",
        district="ban-mi",
    ),
)


def load_judged_corpus(path: Path) -> tuple[Entry, ...]:
    """The entries of a corpus fixture written by `tests.search_corpus`."""
    import yaml

    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
    return tuple(
        Entry(
            year=row["year"],
            slug=row["slug"],
            title=row["title"],
            type=row["type"],
            category=row["category"],
            authors=tuple(Author(name) for name in row["authors"]),
            school=School(**row["school"]),
            summary=row["summary"],
            body=row["body"],
            source_path=Path(f"innovations/{row['year']}/{row['slug']}/index.md"),
            subjects=tuple(row["subjects"]),
            levels=tuple(row["levels"]),
            keywords=tuple(row["keywords"]),
        )
        for row in rows
    )
