"""Photos: GPS data is found and stripped; published copies are web-sized and clean."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from build_tools.pages import images
from build_tools.pages.images import (
    check_entry_images,
    prepare_web_image,
    read_gps_tags,
    strip_gps,
)
from tests.unit.test_checker import run_ifte

GPS = {1: "N", 2: (14.0, 48.0, 30.5), 3: "E", 4: (100.0, 37.0, 0.0)}  # Lopburi


def photo(path: Path, size=(64, 48), gps=True, orientation=1, fmt="JPEG", **save) -> Path:
    """A small synthetic phone photo: camera model, orientation and (optionally) GPS."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1] // 3))  # so rotation shows
    exif = Image.Exif()
    exif[0x0110] = "Phone X"
    exif[0x0112] = orientation
    if gps:
        exif.get_ifd(images.GPS_IFD).update(GPS)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, exif=exif, **save)
    return path


def scan_data(data: bytes) -> bytes:
    """The entropy-coded image data of a JPEG (everything from start-of-scan)."""
    return data[data.index(b"\xff\xda") :]


def test_gps_in_a_phone_photo_is_detected(tmp_path):
    tags = read_gps_tags(photo(tmp_path / "class.jpg"))
    assert {"GPSLatitude", "GPSLongitude"} <= set(tags)
    assert read_gps_tags(photo(tmp_path / "clean.jpg", gps=False)) == ()
    assert read_gps_tags(photo(tmp_path / "map.png", fmt="PNG")) != ()


def test_unreadable_image_is_not_an_error(tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    assert read_gps_tags(broken) == ()
    assert prepare_web_image(broken, tmp_path / "cache") == broken


def test_checker_warns_about_gps_with_the_photo_as_location(scratch_project):
    folder = scratch_project.entry().parent
    photo(folder / "activity.jpg")
    photo(folder / "worksheet.jpg", gps=False)
    problems = check_entry_images([folder], scratch_project.root)
    assert [(p.path, p.code, p.severity) for p in problems] == [
        ("innovations/2567/reading-kit/activity.jpg", "image-gps", "warning")
    ]
    assert "activity.jpg" in problems[0].message_th
    assert "14" not in problems[0].message_th  # coordinates are never repeated in messages

    result = run_ifte("check", cwd=scratch_project.root)
    assert result.returncode == 0
    assert "innovations/2567/reading-kit/activity.jpg: warning [image-gps]" in result.stdout
    assert "ifte strip-gps" in result.stdout


def test_strip_gps_keeps_the_picture_and_orientation_bit_for_bit(tmp_path):
    path = photo(tmp_path / "p.jpg", orientation=6)
    before = path.read_bytes()
    assert strip_gps(path) is True
    after = path.read_bytes()
    assert read_gps_tags(path) == ()
    assert scan_data(after) == scan_data(before)  # no re-encoding
    exif = Image.open(path).getexif()
    assert exif[0x0112] == 6 and exif[0x0110] == "Phone X"
    assert strip_gps(path) is False  # nothing left to do


def test_strip_gps_on_png(tmp_path):
    path = photo(tmp_path / "p.png", fmt="PNG")
    pixels = Image.open(path).tobytes()
    assert strip_gps(path) is True
    assert read_gps_tags(path) == ()
    assert Image.open(path).tobytes() == pixels


def test_strip_gps_command_cleans_a_folder(scratch_project):
    folder = scratch_project.entry().parent
    photo(folder / "a.jpg")
    photo(folder / "img" / "b.jpg")
    result = run_ifte("strip-gps", str(folder), cwd=scratch_project.root)
    assert result.returncode == 0, result.stderr
    assert "ลบพิกัด 2 ไฟล์" in result.stdout
    assert check_entry_images([folder], scratch_project.root) == []


def test_large_photo_gets_an_upright_web_copy_without_metadata(tmp_path):
    src = photo(tmp_path / "big.jpg", size=(4000, 3000), orientation=6, quality=95)
    cache = tmp_path / "cache"
    web = prepare_web_image(src, cache)
    assert web.parent == cache and web.suffix == ".jpg"
    with Image.open(web) as image:
        assert image.size == (1200, 1600)  # rotated upright, longest side 1600
        assert not image.getexif()
    assert web.stat().st_size < src.stat().st_size
    mtime = web.stat().st_mtime_ns
    assert prepare_web_image(src, cache) == web and web.stat().st_mtime_ns == mtime  # cached


def test_small_clean_image_is_published_as_is(tmp_path):
    src = tmp_path / "small.png"
    Image.new("RGB", (300, 200), "white").save(src)
    assert prepare_web_image(src, tmp_path / "cache") == src
    assert not (tmp_path / "cache").exists()


def test_small_photo_with_metadata_is_cleaned(tmp_path):
    src = photo(tmp_path / "small.jpg")
    web = prepare_web_image(src, tmp_path / "cache")
    assert web != src
    assert read_gps_tags(web) == () and not Image.open(web).getexif()


def test_animated_gif_is_left_alone(tmp_path):
    frames = [Image.new("RGB", (2000, 20), color) for color in ("red", "blue")]
    src = tmp_path / "anim.gif"
    frames[0].save(src, save_all=True, append_images=frames[1:])
    assert prepare_web_image(src, tmp_path / "cache") == src


def test_web_copy_of_png_keeps_transparency(tmp_path):
    src = tmp_path / "logo.png"
    Image.new("RGBA", (3000, 100), (0, 0, 0, 0)).save(src)
    web = prepare_web_image(src, tmp_path / "cache")
    with Image.open(io.BytesIO(web.read_bytes())) as image:
        assert image.mode == "RGBA" and image.size == (1600, 53)


# --- card pictures ------------------------------------------------------------------


def test_card_pictures_are_cropped_upright_and_carry_no_metadata(tmp_path):
    # Stored 480 × 640 and turned a quarter by its orientation tag: shown 640 × 480.
    source = photo(tmp_path / "class.jpg", size=(480, 640), orientation=6)
    pictures = images.render_thumbnails(source.read_bytes())
    assert set(pictures) == set(images.format_thumb_names())
    for name, data in pictures.items():
        width = int(name.split("@")[1].split(".")[0])
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.format == ("WEBP" if name.endswith(".webp") else "JPEG")
            assert picture.size == (width, images.format_thumb_height(width))
            assert not picture.getexif() and "xmp" not in picture.info
    with Image.open(io.BytesIO(pictures["cover@320.jpg"])) as picture:
        # Upright: the blue band at the top of the stored photo is now at its right side.
        rgb = picture.convert("RGB")
        assert rgb.getpixel((310, 40))[2] > 150 > rgb.getpixel((10, 40))[2]


def test_a_transparent_diagram_is_on_white_and_a_damaged_image_is_a_grey_box(tmp_path):
    diagram = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    buffer = io.BytesIO()
    diagram.save(buffer, "PNG")
    with Image.open(io.BytesIO(images.render_thumbnails(buffer.getvalue())["cover@320.jpg"])) as p:
        assert min(p.convert("L").getpixel((160, 100)), 255) > 245
    damaged = images.render_thumbnails(b"\x89PNG\r\n\x1a\n not a picture")
    with Image.open(io.BytesIO(damaged["cover@640.webp"])) as picture:
        assert picture.size == (640, 400)
