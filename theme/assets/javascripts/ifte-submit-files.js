/* Attachments for the /submit/ form: the checker's file rules, safe names, photo
 * metadata removal and a ZIP writer, all in the browser (nothing is uploaded).
 * Twins in Python, kept line for line (tests/contribute/test_file_rules_agree.py runs
 * both on the same table):
 *   sniffMediaType     ← build_tools/attachments.py sniff_media_type
 *   checkFileBytes     ← build_tools/contribute/files.py check_file_bytes
 *   formatTitle, packageName, stripPhotoMetadata ← build_tools/contribute/files.py
 * The ZIP is "stored" (not compressed): PDFs and photos are compressed already, and a
 * 60-line writer needs no third-party library. */
(function () {
  "use strict";

  var EXTENSIONS = { "application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png",
    "image/gif": ".gif", "image/webp": ".webp" };
  var CLAIMED = { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg",
    png: "image/png", gif: "image/gif", webp: "image/webp" };
  var NAME_STEM_CHARS = 40;

  function startsWith(bytes, text) {
    for (var i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
    return true;
  }

  function sniffMediaType(b) {
    if (startsWith(b, "%PDF-")) return "application/pdf";
    if (startsWith(b, "\x89PNG\r\n\x1a\n")) return "image/png";
    if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
    if (startsWith(b, "GIF87a") || startsWith(b, "GIF89a")) return "image/gif";
    if (startsWith(b, "RIFF") && startsWith(b.subarray(8), "WEBP")) return "image/webp";
    return null;
  }

  function formatTitle(original) {
    var name = original.replace(/\\/g, "/").split("/").pop().normalize("NFC");
    return name.replace(/\.[^.]*$/, "").trim() || name.trim();
  }

  function packageName(original, mediaType, number, taken) {
    var stem = formatTitle(original).normalize("NFKD").replace(/[^\x00-\x7f]/g, "")
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    stem = stem.slice(0, NAME_STEM_CHARS).replace(/^-+|-+$/g, "");
    if (!stem) stem = (mediaType === "application/pdf" ? "document" : "image") + "-" + number;
    var extension = EXTENSIONS[mediaType];
    var name = stem + extension;
    var counter = 2;
    while (taken.indexOf(name) >= 0 || name === "index.md") {
      name = stem + "-" + counter + extension;
      counter += 1;
    }
    return name;
  }

  // Image size from the header only (mirror of the checker's pixel limits).
  function imageSize(b, type) {
    var view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    try {
      if (type === "image/png") return [view.getUint32(16), view.getUint32(20)];
      if (type === "image/gif") return [view.getUint16(6, true), view.getUint16(8, true)];
      if (type === "image/jpeg") {
        var p = 2;
        while (p + 9 < b.length && b[p] === 0xff) {
          var marker = b[p + 1];
          if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
            return [view.getUint16(p + 7), view.getUint16(p + 5)];
          }
          p += 2 + view.getUint16(p + 2);
        }
      }
    } catch (e) { return null; }
    return type === "image/webp" ? [0, 0] : null;
  }

  // → { mediaType, th, en, tooLarge } ; th === "" when the file may be attached.
  function checkFileBytes(name, b, limits) {
    var mediaType = sniffMediaType(b.subarray(0, 16));
    var dot = name.lastIndexOf(".");
    var claimed = dot >= 0 ? CLAIMED[name.slice(dot + 1).toLowerCase()] || null : null;
    if (!mediaType) {
      var what = claimed ? "ไฟล์ที่ชื่อลงท้ายแบบ " + claimed : "ไฟล์นี้";
      return { mediaType: "", th: "\"" + name + "\": " + what +
        " ไม่ใช่ PDF หรือรูปภาพ (ตรวจจากเนื้อไฟล์) รับเฉพาะ PDF, JPG, PNG, GIF, WebP",
        en: "\"" + name + "\" is not a PDF or an image by its content; only PDF, JPG, PNG, GIF, WebP" };
    }
    if (claimed && claimed !== mediaType) {
      return { mediaType: "", th: "\"" + name + "\": ชื่อไฟล์บอกว่าเป็น " + claimed +
        " แต่เนื้อไฟล์เป็น " + mediaType,
        en: "\"" + name + "\" is named as " + claimed + " but its content is " + mediaType };
    }
    var size = mediaType === "application/pdf" ? null : imageSize(b, mediaType);
    var tooManyPixels = size && (size[0] * size[1] > limits.maxPixels || Math.max(size[0], size[1]) > limits.maxSide);
    if (b.length > limits.maxBytes || tooManyPixels) {
      var mb = Math.round(limits.maxBytes / 1048576);
      // A photo can be made smaller here; a PDF cannot.
      return { mediaType: mediaType, tooLarge: true,
        th: mediaType === "application/pdf" ? "\"" + name + "\": ใหญ่เกิน " + mb + " MB ย่อไฟล์ก่อนส่ง"
          : "\"" + name + "\": รูปภาพเสียหรือใหญ่เกินกำหนด (" + (size ? size[0] + " × " + size[1] + " px" : b.length + " B") + ")",
        en: mediaType === "application/pdf" ? "\"" + name + "\" is over " + mb + " MB; make it smaller"
          : "\"" + name + "\": the image is damaged or too large" };
    }
    if (mediaType !== "application/pdf" && !size) {
      return { mediaType: "", th: "\"" + name + "\": รูปภาพเสียหรือใหญ่เกินกำหนด (ไฟล์ภาพเสีย อ่านไม่ได้/damaged image)",
        en: "\"" + name + "\": the image is damaged or too large" };
    }
    return { mediaType: mediaType, th: "", en: "" };
  }

  // --- photo metadata (mirror of strip_photo_metadata) --------------------------------
  function readOrientation(t) {
    if (t.length < 8 || !(startsWith(t, "II") || startsWith(t, "MM"))) return 1;
    var little = startsWith(t, "II");
    var view = new DataView(t.buffer, t.byteOffset, t.byteLength);
    var offset = view.getUint32(4, little);
    if (offset + 2 > t.length) return 1;
    var count = view.getUint16(offset, little);
    for (var i = 0; i < count; i++) {
      var start = offset + 2 + 12 * i;
      if (start + 12 > t.length) break;
      if (view.getUint16(start, little) === 0x0112) {
        var value = view.getUint16(start + 8, little);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  function orientationSegment(o) {
    return new Uint8Array([0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0, 0,
      0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0, 0, 0, 0, 0]);
  }

  function concat(parts) {
    var total = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var out = new Uint8Array(total);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  function stripJpeg(b) {
    var kept = [b.subarray(0, 2)];
    var orientation = 1;
    var p = 2;
    while (p + 4 <= b.length && b[p] === 0xff) {
      var marker = b[p + 1];
      if (marker === 0xda) break;
      var length = (b[p + 2] << 8) | b[p + 3];
      var segment = b.subarray(p, p + 2 + length);
      if (marker === 0xe1) {
        if (startsWith(segment.subarray(4), "Exif\x00\x00")) orientation = readOrientation(segment.subarray(10));
      } else if (marker !== 0xed) {
        kept.push(segment);
      }
      p += 2 + length;
    }
    if (orientation !== 1) {
      var at = kept.length > 1 && kept[1][0] === 0xff && kept[1][1] === 0xe0 ? 2 : 1;
      kept.splice(at, 0, orientationSegment(orientation));
    }
    kept.push(b.subarray(p));
    return concat(kept);
  }

  function stripPng(b) {
    var kept = [b.subarray(0, 8)];
    var view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    var p = 8;
    while (p + 12 <= b.length) {
      var length = view.getUint32(p);
      var end = p + 12 + length;
      if (!startsWith(b.subarray(p + 4), "eXIf")) kept.push(b.subarray(p, end));
      p = end;
    }
    kept.push(b.subarray(p));
    return concat(kept);
  }

  function stripPhotoMetadata(b) {
    if (b[0] === 0xff && b[1] === 0xd8) return stripJpeg(b);
    if (startsWith(b, "\x89PNG\r\n\x1a\n")) return stripPng(b);
    return b;
  }

  // A photo too large to attach, scaled to 3,000 px on its longer side (the canvas drops
  // every metadata block, GPS included).
  function scaleDown(bytes, type) {
    var blob = new Blob([bytes], { type: type });
    return createImageBitmap(blob).then(function (bitmap) {
      var scale = Math.min(1, 3000 / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.88); });
    }).then(function (out) { return out.arrayBuffer(); }).then(function (buffer) {
      return new Uint8Array(buffer);
    });
  }

  // --- ZIP (stored, UTF-8 names) ----------------------------------------------------
  var CRC_TABLE = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(b) {
    var c = 0xffffffff;
    for (var i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  function makeZip(files) { // [{ name, bytes }] → Uint8Array
    var encoder = new TextEncoder();
    var locals = [];
    var centrals = [];
    var offset = 0;
    var now = new Date();
    var time = (now.getHours() << 11) | (now.getMinutes() << 5) | (now.getSeconds() >> 1);
    var date = ((now.getFullYear() - 1980) << 9) | ((now.getMonth() + 1) << 5) | now.getDate();
    files.forEach(function (file) {
      var name = encoder.encode(file.name);
      var crc = crc32(file.bytes);
      var head = new DataView(new ArrayBuffer(30));
      head.setUint32(0, 0x04034b50, true);
      head.setUint16(4, 20, true);
      head.setUint16(6, 0x0800, true); // names are UTF-8
      head.setUint16(10, time, true);
      head.setUint16(12, date, true);
      head.setUint32(14, crc, true);
      head.setUint32(18, file.bytes.length, true);
      head.setUint32(22, file.bytes.length, true);
      head.setUint16(26, name.length, true);
      locals.push(new Uint8Array(head.buffer), name, file.bytes);
      var entry = new DataView(new ArrayBuffer(46));
      entry.setUint32(0, 0x02014b50, true);
      entry.setUint16(4, 0x0314, true); // made by Unix, so modes below are read
      entry.setUint16(6, 20, true);
      entry.setUint16(8, 0x0800, true);
      entry.setUint16(12, time, true);
      entry.setUint16(14, date, true);
      entry.setUint32(16, crc, true);
      entry.setUint32(20, file.bytes.length, true);
      entry.setUint32(24, file.bytes.length, true);
      entry.setUint16(28, name.length, true);
      entry.setUint32(38, (0x8000 | 0x1a4) * 65536, true); // a regular file, rw-r--r--
      entry.setUint32(42, offset, true);
      centrals.push(new Uint8Array(entry.buffer), name);
      offset += 30 + name.length + file.bytes.length;
    });
    var central = concat(centrals);
    var end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true);
    end.setUint16(8, files.length, true);
    end.setUint16(10, files.length, true);
    end.setUint32(12, central.length, true);
    end.setUint32(16, offset, true);
    return concat(locals.concat([central, new Uint8Array(end.buffer)]));
  }

  window.IfteFiles = { sniffMediaType: sniffMediaType, formatTitle: formatTitle,
    packageName: packageName, checkFileBytes: checkFileBytes,
    stripPhotoMetadata: stripPhotoMetadata, scaleDown: scaleDown, makeZip: makeZip };
})();
