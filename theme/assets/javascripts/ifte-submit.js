/* The /submit/ form: checks what a teacher types with the checker's rules and writes
 * the entry's index.md. Twins in Python, kept line for line:
 *   formatYamlScalar / formatEntry  ← build_tools/newentry.py (format_yaml_scalar, format_entry)
 *   scanPersonalData                ← build_tools/privacy.py
 *   validate                        ← the published JSON Schema (build_tools/schema.py)
 * Messages are the checker's own (problems.CODES, embedded by build_tools/submitform.py).
 * Teacher text is only ever placed with textContent / value, never as HTML. */
(function () {
  "use strict";

  var form = document.getElementById("ifte-submit");
  var dataNode = document.getElementById("ifte-submit-data");
  if (!form || !dataNode) return;
  var DATA = JSON.parse(dataNode.textContent);
  var STORAGE_KEY = "ifte-submit-draft";

  // --- YAML (mirror of build_tools/newentry.py) ---------------------------------------
  var YAML_WORDS = ["y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"];
  var PLAIN_START = /^[^\s\-?:,\[\]{}#&*!|>'"%@`]/;
  var NUMBER_LIKE = /^[-+.\d][\d\-_:.+eE ]*$/;

  function formatYamlScalar(value) {
    var plain = value === value.trim() && PLAIN_START.test(value) && value.indexOf(":") < 0 &&
      value.indexOf("#") < 0 && value.indexOf("\n") < 0 &&
      YAML_WORDS.indexOf(value.toLowerCase()) < 0 && !NUMBER_LIKE.test(value);
    return plain ? value : JSON.stringify(value);
  }

  function block(text) {
    var lines = text.trim().split("\n").map(function (line) { return line.trim(); });
    return ">-\n" + lines.map(function (line) { return line ? "  " + line : ""; }).join("\n");
  }

  function formatFrontMatter(d) {
    var q = formatYamlScalar;
    var lines = ["title: " + q(d.title)];
    if (d.title_en) lines.push("title_en: " + q(d.title_en));
    lines.push("type: " + q(d.type), "category: " + q(d.category), "year: " + d.year, "authors:");
    d.authors.forEach(function (a) {
      lines.push("  - name: " + q(a.name));
      if (a.position) lines.push("    position: " + q(a.position));
      if (a.email) lines.push("    email: " + q(a.email));
    });
    lines.push("school:", "  name: " + q(d.school_name), "  district: " + q(d.district),
      "  affiliation: " + q(d.affiliation));
    [["subjects", d.subjects], ["levels", d.levels], ["keywords", d.keywords]].forEach(function (kv) {
      if (kv[1].length) {
        lines.push(kv[0] + ":");
        kv[1].forEach(function (v) { lines.push("  - " + q(v)); });
      }
    });
    lines.push("summary: " + block(d.summary));
    if (d.award) {
      lines.push("award:", "  title: " + q(d.award.title), "  level: " + q(d.award.level),
        "  year: " + d.award.year);
    }
    [["attachments", d.attachments, "file"], ["links", d.links, "url"]].forEach(function (kv) {
      if (kv[1].length) {
        lines.push(kv[0] + ":");
        kv[1].forEach(function (item) {
          lines.push("  - " + kv[2] + ": " + q(item[0]), "    title: " + q(item[1] || item[0]));
        });
      }
    });
    if (d.license) lines.push("license: " + q(d.license));
    if (d.submitted) lines.push("submitted: " + d.submitted);
    return "---\n" + lines.join("\n") + "\n---\n";
  }

  function formatEntry(d) {
    var body = d.body.trim(); // mirror of format_entry's strip()
    return formatFrontMatter(d) + (body ? body + "\n" : "");
  }

  // --- text normalisation (mirror of build_tools/frontmatter.normalize_thai) ----------
  function normalizeThai(text) {
    return text.normalize("NFC").replace(/([\u0e48-\u0e4b]?)\u0e4d([\u0e48-\u0e4b]?)\u0e32/g,
      function (_, a, b) { return a + b + "\u0e33"; }).replace(/\r\n?/g, "\n");
  }

  // --- personal data (mirror of build_tools/privacy.py) -------------------------------
  var NATIONAL_ID = /(^|[^\d])(\d)[- ]?(\d{4})[- ]?(\d{5})[- ]?(\d{2})[- ]?(\d)(?![\d])/g;
  var PHONE = /(^|[^\d])((?:\+66[- ]?|0)(?:[689](?:[- ]?\d){8}|[2-7](?:[- ]?\d){7}))(?![\d])/g;
  var STUDENT_ABBREVIATED = /(ด\.\s?[ชญ]\.)\s*([\u0e01-\u0e4e]*)/g;
  var STUDENT_SPELLED_OUT = /(เด็กชาย|เด็กหญิง)\s*([\u0e01-\u0e4e]+)(\s+[\u0e01-\u0e4e]+)?/g;
  // The checker looks the word up in PyThaiNLP's 12,000 first names, too big for a page:
  // here a name is a word followed by a surname, unless it is an everyday word.
  var NOT_NAMES = /^(และ|ทุก|จำนวน|ที่|ใน|มี|ได้|ทั้ง|หรือ|กับ|ของ|คน|ชั้น|อายุ|ซึ่ง|เป็น|จะ|ก็|แต่|นั้น|นี้|เหล่านี้|ส่วน|บาง|หลาย|ร้อยละ)/;
  var EMAIL = /(^|[^\w.+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";
  var ID_WORDS = /(เลขประจำตัว|บัตรประชาชน|บัตรประจำตัว|ID card|national ID)/i;

  function toArabic(text) {
    return text.replace(/[๐-๙]/g, function (c) { return String(THAI_DIGITS.indexOf(c)); });
  }

  function isNationalId(digits) {
    if (!/^\d{13}$/.test(digits) || digits[0] === "0") return false;
    var total = 0;
    for (var i = 0; i < 12; i++) total += Number(digits[i]) * (13 - i);
    return (11 - (total % 11)) % 10 === Number(digits[12]);
  }

  function mask(number) {
    var digits = number.replace(/\D/g, "");
    return digits.slice(0, 2) + "x".repeat(Math.max(0, digits.length - 4)) + digits.slice(-2);
  }

  function scanPersonalData(text, isEmailField) {
    var plain = toArabic(text);
    var found = [];
    var ids = {};
    var m;
    NATIONAL_ID.lastIndex = 0;
    while ((m = NATIONAL_ID.exec(plain))) {
      var digits = m.slice(2, 7).join("");
      var start = m.index + m[1].length;
      ids[start] = true;
      // Written as an ID (right after its name) it is one, whatever its check digit says.
      var said = ID_WORDS.test(plain.slice(Math.max(0, start - 40), start));
      found.push({ kind: isNationalId(digits) || said ? "national-id" : "id-like-number",
        masked: mask(digits) });
      NATIONAL_ID.lastIndex = m.index + m[0].length;
    }
    PHONE.lastIndex = 0;
    while ((m = PHONE.exec(plain))) {
      if (!ids[m.index + m[1].length]) found.push({ kind: "phone-number", masked: mask(m[2]) });
    }
    STUDENT_ABBREVIATED.lastIndex = 0;
    while ((m = STUDENT_ABBREVIATED.exec(text))) {
      if (m[2]) found.push({ kind: "student-name", masked: m[1] + m[2].charAt(0) + "…" });
    }
    STUDENT_SPELLED_OUT.lastIndex = 0;
    while ((m = STUDENT_SPELLED_OUT.exec(text))) {
      if (m[3] && !NOT_NAMES.test(m[2])) {
        found.push({ kind: "student-name", masked: m[1] + m[2].charAt(0) + "…" });
      }
    }
    if (!isEmailField) {
      EMAIL.lastIndex = 0;
      while ((m = EMAIL.exec(text))) {
        var parts = m[2].split("@");
        found.push({ kind: "email-in-text", masked: parts[0].slice(0, 2) + "…@" + parts[1] });
      }
    }
    return found;
  }

  // --- JSON Schema subset: type, enum, required, min/maxLength, pattern, min/maxItems,
  //     minimum/maximum, additionalProperties ----------------------------------------
  function typeOf(value) {
    if (Array.isArray(value)) return "array";
    if (value === null) return "null";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value; // string, boolean, object
  }

  function validate(schema, value, path, out) {
    var type = typeOf(value);
    if (value === "" && schema.type && schema.type !== "string") { // an empty number box
      out.push({ keyword: "minLength", path: path, schema: schema, value: value });
      return;
    }
    if (schema.type && schema.type !== type && !(schema.type === "number" && type === "integer")) {
      out.push({ keyword: "type", path: path, schema: schema, value: value });
      return;
    }
    if (type === "string") {
      var length = Array.from(value).length;
      if (schema.minLength !== undefined && length < schema.minLength) {
        out.push({ keyword: "minLength", path: path, schema: schema, value: value });
        return;
      }
      if (schema.enum && value === "") {
        out.push({ keyword: "minLength", path: path, schema: schema, value: value });
        return;
      }
      if (schema.maxLength !== undefined && length > schema.maxLength) {
        out.push({ keyword: "maxLength", path: path, schema: schema, value: value, length: length });
      }
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
        out.push({ keyword: "pattern", path: path, schema: schema, value: value });
      }
    }
    if (schema.enum && schema.enum.indexOf(value) < 0) {
      out.push({ keyword: "enum", path: path, schema: schema, value: value });
    }
    if (type === "integer" || type === "number") {
      if ((schema.minimum !== undefined && value < schema.minimum) ||
          (schema.maximum !== undefined && value > schema.maximum)) {
        out.push({ keyword: "range", path: path, schema: schema, value: value });
      }
    }
    if (type === "array") {
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        out.push({ keyword: "minItems", path: path, schema: schema, value: value });
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        out.push({ keyword: "maxItems", path: path, schema: schema, value: value });
      }
      if (schema.items) {
        value.forEach(function (item, i) { validate(schema.items, item, path + "[" + i + "]", out); });
      }
    }
    if (type === "object") {
      var props = schema.properties || {};
      (schema.required || []).forEach(function (key) {
        if (!(key in value)) {
          out.push({ keyword: "required", path: path ? path + "." + key : key, schema: props[key] || {},
            value: undefined, key: key });
        }
      });
      Object.keys(value).forEach(function (key) {
        var child = path ? path + "." + key : key;
        if (props[key]) validate(props[key], value[key], child, out);
        else if (schema.additionalProperties === false) {
          out.push({ keyword: "additionalProperties", path: child, schema: {}, value: key, key: key });
        }
      });
    }
  }

  // --- reading the form -----------------------------------------------------------------
  function control(path) {
    return form.querySelector('[data-path="' + CSS.escape(path) + '"]');
  }

  function valueOf(path) {
    var el = control(path);
    return el ? normalizeThai(el.value).trim() : "";
  }

  function checked(path) {
    return Array.prototype.map.call(
      form.querySelectorAll('input[name="' + CSS.escape(path) + '"]:checked'),
      function (el) { return el.value; });
  }

  function rows(kind) {
    return Array.prototype.map.call(form.querySelectorAll('[data-row="' + kind + '"] .ifte-row'),
      function (row) {
        var values = {};
        row.querySelectorAll("[data-field]").forEach(function (el) {
          values[el.getAttribute("data-field")] = normalizeThai(el.value).trim();
        });
        return values;
      });
  }

  function readYear(text) {
    var plain = toArabic(text);
    return /^\d+$/.test(plain) ? Number(plain) : text;
  }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function readDraft() {
    var award = null;
    if (valueOf("award.title") || valueOf("award.level") || valueOf("award.year")) {
      award = { title: valueOf("award.title"), level: valueOf("award.level"),
        year: readYear(valueOf("award.year")) };
    }
    var filled = function (row) { return Object.keys(row).some(function (k) { return row[k]; }); };
    return {
      title: valueOf("title"), title_en: valueOf("title_en"), type: valueOf("type"),
      category: valueOf("category"), year: readYear(valueOf("year")),
      // An untouched first row still counts, so "name is empty" points at its name box.
      authors: rows("author").filter(function (row, i) { return i === 0 || filled(row); }),
      school_name: valueOf("school.name"), district: valueOf("school.district"),
      affiliation: valueOf("school.affiliation"),
      subjects: checked("subjects"), levels: checked("levels"),
      keywords: valueOf("keywords").split(/[,،]/).map(function (k) { return k.trim(); })
        .filter(Boolean),
      summary: valueOf("summary"),
      body: normalizeThai(control("body").value),
      award: award,
      attachments: picked.map(function (p) { return [p.name, normalizeThai(p.titleInput.value).trim() || p.title]; }),
      links: rows("link").filter(filled).map(function (r) { return [r.url, r.title]; }),
      license: valueOf("license"), slug: valueOf("slug"), submitted: today(),
    };
  }

  // What a YAML reader makes of the file formatEntry writes: the object the schema checks.
  function frontMatterOf(d) {
    var fm = { title: d.title, type: d.type, category: d.category, year: d.year,
      authors: d.authors.map(function (a) {
        var o = { name: a.name };
        if (a.position) o.position = a.position;
        if (a.email) o.email = a.email;
        return o;
      }),
      school: { name: d.school_name, district: d.district, affiliation: d.affiliation },
      summary: d.summary, license: d.license, submitted: d.submitted };
    if (d.title_en) fm.title_en = d.title_en;
    if (d.subjects.length) fm.subjects = d.subjects;
    if (d.levels.length) fm.levels = d.levels;
    if (d.keywords.length) fm.keywords = d.keywords;
    if (d.award) fm.award = d.award;
    if (d.attachments.length) {
      fm.attachments = d.attachments.map(function (a) { return { file: a[0], title: a[1] || a[0] }; });
    }
    if (d.links.length) fm.links = d.links.map(function (l) { return { url: l[0], title: l[1] || l[0] }; });
    return fm;
  }

  // --- problems ---------------------------------------------------------------------------
  // Like Problem.message_th / Problem.fix_th: templates filled with the problem's values.
  function fill(template, args) {
    return template.replace(/\{(\w+)\}/g, function (_, name) {
      return args[name] !== undefined ? String(args[name]) : "…";
    });
  }

  function message(code, args) {
    var info = DATA.codes[code];
    return { code: code, severity: info.severity, text: fill(info.th, args),
      fix: fill(info.fix_th, args) };
  }

  function labelOf(schema, path) {
    return (schema && schema.title) || path;
  }

  function vocabularyKind(path) {
    return DATA.vocabularyPaths[path.replace(/\[\d+\]$/, "[]").replace(/\[\d+\]\./g, "[].")];
  }

  function fromSchema(error) {
    var label = labelOf(error.schema, error.path);
    var path = error.path;
    switch (error.keyword) {
      case "required":
        return message("missing-field", { key: error.key, label: label });
      case "minLength":
      case "minItems":
        return message("empty-value", { field: label });
      case "maxLength":
        return message("too-long", { field: label, length: error.length, limit: error.schema.maxLength });
      case "maxItems":
        return message("too-long", { field: label, length: error.value.length, limit: error.schema.maxItems });
      case "enum":
        return message("unknown-choice", { kind_th: DATA.kinds[vocabularyKind(path)] || label,
          value: error.value });
      case "pattern":
        if (error.schema.format === "email") return message("invalid-email", { value: error.value });
        if (/url$/.test(path)) return message("link-scheme", { value: error.value });
        if (/submitted$/.test(path)) return message("invalid-date", { value: error.value });
        return message("wrong-type", { field: label, expected_th: "รูปแบบที่กำหนด", found_th: " \"" + error.value + "\"" });
      case "range":
        if (error.value >= 1950 && error.value <= 2100) {
          var p = message("year-christian-era", { value: error.value });
          p.text += " — หมายถึง " + (error.value + 543) + " ใช่ไหม?";
          return p;
        }
        return message("year-out-of-range", { value: error.value, low: error.schema.minimum,
          high: error.schema.maximum });
      case "additionalProperties":
        return message("unknown-key", { key: error.key });
      default: // type
        return message("wrong-type", { field: label,
          expected_th: error.schema.type === "integer" ? "ปี พ.ศ. 4 หลัก" : "ข้อความ",
          found_th: " \"" + String(error.value) + "\"" });
    }
  }

  // Form control for a front-matter path (rows are addressed as authors[0].name).
  function controlFor(path) {
    var m = /^(authors|attachments|links)\[(\d+)\](?:\.(\w+))?$/.exec(path);
    if (m && m[1] === "attachments") return picked[Number(m[2])] ? picked[Number(m[2])].titleInput : null;
    if (m) {
      var kind = { authors: "author", links: "link" }[m[1]];
      var row = form.querySelectorAll('[data-row="' + kind + '"] .ifte-row')[Number(m[2])];
      if (row) return row.querySelector('[data-field="' + (m[3] || "name") + '"]') || row;
    }
    path = path.replace(/\[\d+\]$/, "");
    if (path === "authors") return form.querySelector('[data-add="author"]');
    return control(path);
  }

  function checkDraft(d) {
    var problems = [];
    var errors = [];
    validate(DATA.schema, frontMatterOf(d), "", errors);
    errors.forEach(function (e) {
      var p = fromSchema(e);
      p.path = e.path;
      problems.push(p);
    });
    var slug = d.slug;
    if (!slug) {
      var p0 = message("empty-value", { field: "ชื่อโฟลเดอร์ภาษาอังกฤษ (folder name)" });
      p0.path = "slug";
      problems.push(p0);
    } else if (!new RegExp(DATA.slugPattern).test(slug)) {
      var suggestion = slug.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "my-innovation";
      var p1 = message("invalid-slug", { value: slug, suggestion: suggestion });
      p1.path = "slug";
      problems.push(p1);
    } else if (DATA.takenSlugs.indexOf(slug) >= 0) {
      var p2 = message("duplicate-slug", { value: slug, other: "ผลงานอื่นในคลัง" });
      p2.path = "slug";
      problems.push(p2);
    }
    // An image the body shows must be one of the picked files (the checker's image-not-found).
    var names = picked.map(function (p) { return p.name; });
    var shown = /!\[[^\]]*\]\(\s*<?([^)\s>]+)/g;
    var mm;
    while ((mm = shown.exec(d.body))) {
      if (/^[a-z][a-z0-9+.-]*:|^\/|^#/i.test(mm[1]) || names.indexOf(mm[1]) >= 0) continue;
      var p5 = message("image-not-found", { value: mm[1] });
      p5.path = "body";
      problems.push(p5);
    }
    // Personal data, in every text that is written to the file.
    var texts = [["title", d.title], ["title_en", d.title_en], ["summary", d.summary],
      ["body", d.body], ["school.name", d.school_name], ["keywords", d.keywords.join(", ")]];
    d.authors.forEach(function (a, i) {
      texts.push(["authors[" + i + "].name", a.name], ["authors[" + i + "].position", a.position],
        ["authors[" + i + "].email", a.email, true]);
    });
    d.links.forEach(function (l, i) { texts.push(["links[" + i + "].title", l[1]]); });
    d.attachments.forEach(function (a, i) { texts.push(["attachments[" + i + "].title", a[1]]); });
    texts.forEach(function (t) {
      scanPersonalData(t[1] || "", t[2]).forEach(function (f) {
        var p = message(f.kind, { masked: f.masked });
        p.path = t[0];
        problems.push(p);
      });
    });
    if (!d.body.trim()) {
      var p3 = message("body-empty", {});
      p3.path = "body";
      problems.push(p3);
    }
    var alt = /!\[\s*\]\(\s*<?([^)\s>]+)/g;
    var m;
    while ((m = alt.exec(d.body))) {
      var p4 = message("image-missing-alt", { value: m[1] });
      p4.path = "body";
      problems.push(p4);
    }
    problems.sort(function (a, b) {
      return (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1);
    });
    return problems;
  }

  // --- Markdown preview (headings, paragraphs, lists, quotes, emphasis, links) -----------
  function inline(parent, text) {
    var pattern = /(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`|!?\[[^\]]*\]\([^)\s]+\))/g;
    var last = 0;
    var m;
    while ((m = pattern.exec(text))) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var token = m[0];
      var el;
      if (token.indexOf("**") === 0) {
        el = document.createElement("strong");
        el.textContent = token.slice(2, -2);
      } else if (token[0] === "*") {
        el = document.createElement("em");
        el.textContent = token.slice(1, -1);
      } else if (token[0] === "`") {
        el = document.createElement("code");
        el.textContent = token.slice(1, -1);
      } else {
        var link = /^(!?)\[([^\]]*)\]\(([^)\s]+)\)$/.exec(token);
        var image = link[1] && picked.filter(function (p) { return p.name === link[3] && p.url; })[0];
        if (image) { // a picked photo: shown as the site will show it
          el = document.createElement("img");
          el.src = image.url;
          el.alt = link[2];
        } else if (link[1]) { // not picked: show its description
          el = document.createElement("span");
          el.className = "ifte-muted";
          el.textContent = "[รูป: " + (link[2] || link[3]) + "]";
        } else if (/^https?:\/\//i.test(link[3])) {
          el = document.createElement("a");
          el.href = link[3];
          el.rel = "noopener nofollow";
          el.textContent = link[2] || link[3];
        } else {
          el = document.createTextNode(link[2]);
        }
      }
      parent.appendChild(el);
      last = m.index + token.length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderMarkdown(target, markdown) {
    var text = markdown.replace(/<!--[\s\S]*?-->/g, "");
    var list = null;
    var paragraph = null;
    var table = null;
    var cells = function (line) {
      return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map(function (c) { return c.trim(); });
    };
    var lines = text.split("\n");
    var RULE_READ = {};
    lines.forEach(function (line, index) {
      if (line === RULE_READ) return;
      var rule = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
      if (table && /\|/.test(line) && line.trim()) { // a body row of the table
        var tr = document.createElement("tr");
        cells(line).forEach(function (c) { var td = document.createElement("td"); inline(td, c); tr.appendChild(td); });
        table.tBodies[0].appendChild(tr);
        return;
      }
      table = null;
      if (/\|/.test(line) && rule.test(lines[index + 1] || "") && /\|/.test(lines[index + 1])) {
        table = document.createElement("table");
        var head = table.createTHead().insertRow();
        cells(line).forEach(function (c) { var th = document.createElement("th"); inline(th, c); head.appendChild(th); });
        table.appendChild(document.createElement("tbody"));
        target.appendChild(table);
        lines[index + 1] = RULE_READ; // skipped below, the table goes on
        list = null; paragraph = null;
        return;
      }
      var heading = /^(#{1,6})\s+(.*)$/.exec(line);
      var item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
      if (!line.trim()) { list = null; paragraph = null; return; }
      if (heading) {
        var level = Math.min(6, Math.max(2, heading[1].length));
        var h = document.createElement("h" + level);
        h.textContent = heading[2];
        target.appendChild(h);
        list = null; paragraph = null;
      } else if (item) {
        if (!list) {
          list = document.createElement(/^\s*\d/.test(line) ? "ol" : "ul");
          target.appendChild(list);
        }
        var li = document.createElement("li");
        inline(li, item[1]);
        list.appendChild(li);
        paragraph = null;
      } else {
        var quote = /^>\s?(.*)$/.exec(line);
        if (!paragraph) {
          paragraph = document.createElement(quote ? "blockquote" : "p");
          target.appendChild(paragraph);
        } else {
          paragraph.appendChild(document.createTextNode(" "));
        }
        inline(paragraph, quote ? quote[1] : line);
        list = null;
      }
    });
  }

  function renderPreview(d) {
    var target = document.getElementById("ifte-preview");
    target.textContent = "";
    var h = document.createElement("h1");
    h.textContent = d.title || "(ยังไม่มีชื่อผลงาน)";
    target.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "ifte-muted";
    meta.textContent = [d.type, d.category, d.year ? "ปี " + d.year : "", d.school_name, d.district ? "อ." + d.district : ""]
      .filter(Boolean).join(" · ");
    target.appendChild(meta);
    if (d.authors.length) {
      var authors = document.createElement("p");
      authors.textContent = "ผู้พัฒนา: " + d.authors.map(function (a) {
        return a.name + (a.position ? " (" + a.position + ")" : "");
      }).join(", ");
      target.appendChild(authors);
    }
    if (d.summary) {
      var summary = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = "สรุป: ";
      summary.appendChild(strong);
      summary.appendChild(document.createTextNode(d.summary));
      target.appendChild(summary);
    }
    renderMarkdown(target, d.body);
  }

  // --- showing problems --------------------------------------------------------------------
  function clearMarks() {
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id.indexOf("-problem") < 0;
      });
      if (described.length) el.setAttribute("aria-describedby", described.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    form.querySelectorAll(".ifte-field-error").forEach(function (el) { el.remove(); });
  }

  var problemCount = 0;

  function markControl(el, problem) {
    if (!el || el.getAttribute("aria-invalid")) return;
    el.setAttribute("aria-invalid", "true");
    var note = document.createElement("p");
    note.className = "ifte-field-error" + (problem.severity === "error" ? "" : " is-warning");
    note.id = "ifte-problem-" + (++problemCount) + "-problem";
    note.textContent = problem.text;
    el.insertAdjacentElement(el.tagName === "FIELDSET" ? "beforeend" : "afterend", note);
    var described = el.getAttribute("aria-describedby");
    el.setAttribute("aria-describedby", (described ? described + " " : "") + note.id);
  }

  // Problems show for the fields a teacher has left (or all after "ตรวจ"), never before.
  var touchedPaths = {};
  var checkedAll = false;

  function isTouched(path) {
    if (checkedAll) return true;
    var key = (path || "").replace(/\[\d+\].*$/, "").replace(/\..*$/, "");
    return Boolean(touchedPaths[key] || touchedPaths[path]);
  }

  function showProblems(allProblems) {
    clearMarks();
    var list = document.getElementById("ifte-problems");
    list.textContent = "";
    var problems = allProblems.filter(function (p) { return isTouched(p.path); });
    problems.forEach(function (p) {
      var el = controlFor(p.path || "");
      markControl(el, p);
      var li = document.createElement("li");
      li.className = p.severity === "error" ? "is-error" : "is-warning";
      li.setAttribute("data-code", p.code);
      var head = document.createElement("strong");
      head.textContent = (p.severity === "error" ? "ข้อผิดพลาด" : "คำเตือน") + " ";
      li.appendChild(head);
      var code = document.createElement("code");
      code.textContent = p.code;
      li.appendChild(code);
      li.appendChild(document.createTextNode(" " + p.text + " — วิธีแก้: " + p.fix + " "));
      if (el && el.focus) {
        var go = document.createElement("button");
        go.type = "button";
        go.textContent = "ไปที่ช่องนี้";
        go.addEventListener("click", function () { el.focus(); });
        li.appendChild(go);
      }
      list.appendChild(li);
    });
    var errors = allProblems.filter(function (p) { return p.severity === "error"; }).length;
    var warnings = allProblems.length - errors;
    var hidden = allProblems.length - problems.length;
    document.getElementById("ifte-status").textContent = hidden && !problems.length
      ? "กรอกข้อมูลแล้วกดปุ่ม \"ตรวจ\" เพื่อดูสิ่งที่ต้องแก้ก่อนส่ง"
      : errors
      ? "พบข้อผิดพลาด " + errors + " รายการ คำเตือน " + warnings + " รายการ — แก้ข้อผิดพลาดก่อนส่ง"
      : warnings ? "ไม่มีข้อผิดพลาด มีคำเตือน " + warnings + " รายการ โปรดตรวจอีกครั้งก่อนส่ง"
      : "ผ่านการตรวจ ไม่พบข้อผิดพลาด";
    return errors;
  }

  // --- output --------------------------------------------------------------------------------
  var current = { text: "", path: "", errors: 1 };

  function entryPath(d) {
    return "innovations/" + d.year + "/" + (d.slug || "…") + "/index.md";
  }

  function githubNewFileUrl(path) { // the path only: the text goes by the clipboard
    return DATA.repoUrl + "/new/" + encodeURIComponent(DATA.branch) + "?filename=" +
      encodeURIComponent(path).replace(/%2F/g, "/");
  }

  function update() {
    var d = readDraft();
    var problems = checkDraft(d);
    var errors = showProblems(problems);
    var text = formatEntry(d);
    var path = entryPath(d);
    current = { text: text, path: path, errors: errors, slug: d.slug };
    document.getElementById("ifte-output").textContent = text;
    document.getElementById("ifte-path").textContent = path;
    document.querySelectorAll("[data-folder-hint]").forEach(function (el) {
      el.textContent = path.replace(/\/index\.md$/, "/");
    });
    renderPreview(d);
    ["ifte-package", "ifte-github", "ifte-download"].forEach(function (id) {
      document.getElementById(id).disabled = errors > 0;
    });
    document.getElementById("ifte-route-note").textContent = errors
      ? "ยังส่งไม่ได้: แก้ข้อผิดพลาด " + errors + " รายการในผลการตรวจก่อน (กดปุ่ม \"ตรวจ\" เพื่อดูทั้งหมด)"
      : "พร้อมส่ง เลือกวิธีส่งด้านล่าง";
  }

  function saveBytes(bytes, name, type) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([bytes], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  // --- rows, slug suggestion, saving --------------------------------------------------------
  var rowCounter = 0;

  function addRow(kind, values) {
    var template = document.getElementById("ifte-row-" + kind);
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll(".ifte-field").forEach(function (field) {
      var input = field.querySelector("input");
      var label = field.querySelector("label");
      input.id = "f-" + kind + "-" + (++rowCounter);
      label.htmlFor = input.id;
      if (values) input.value = values[input.getAttribute("data-field")] || "";
    });
    row.setAttribute("aria-label", { author: "ผู้พัฒนา", attachment: "ไฟล์แนบ", link: "ลิงก์" }[kind]);
    row.querySelector("[data-remove]").addEventListener("click", function () {
      row.remove();
      schedule(true);
    });
    form.querySelector('[data-row="' + kind + '"]').appendChild(row);
    return row;
  }

  var slugEdited = false;

  function suggestSlug() {
    var words = valueOf("title_en").normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase()
      .match(/[a-z0-9]+/g) || [];
    var slug = words.slice(0, 7).join("-");
    while (slug.length > 60 && slug.indexOf("-") > 0) slug = slug.slice(0, slug.lastIndexOf("-"));
    return slug;
  }

  function save() {
    var state = { fields: {}, checks: {}, rows: {}, slugEdited: slugEdited };
    form.querySelectorAll("[data-path]").forEach(function (el) {
      if ("value" in el && el.tagName !== "FIELDSET") state.fields[el.getAttribute("data-path")] = el.value;
    });
    ["subjects", "levels"].forEach(function (name) { state.checks[name] = checked(name); });
    ["author", "link"].forEach(function (kind) { state.rows[kind] = rows(kind); });
    try { localStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  function restore() {
    var state = null;
    try { state = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null"); } catch (e) { state = null; }
    if (!state) return false;
    Object.keys(state.fields || {}).forEach(function (path) {
      var el = control(path);
      if (el) el.value = state.fields[path];
    });
    Object.keys(state.checks || {}).forEach(function (name) {
      form.querySelectorAll('input[name="' + CSS.escape(name) + '"]').forEach(function (el) {
        el.checked = state.checks[name].indexOf(el.value) >= 0;
      });
    });
    // Picked files are not kept: a draft holds text only (and older drafts' file rows are gone).
    ["author", "link"].filter(function (kind) { return (state.rows || {})[kind]; }).forEach(function (kind) {
      state.rows[kind].forEach(function (values) { addRow(kind, values); });
    });
    slugEdited = Boolean(state.slugEdited);
    return true;
  }

  function reset() {
    form.querySelectorAll(".ifte-row").forEach(function (row) { row.remove(); });
    form.querySelectorAll("[data-path]").forEach(function (el) {
      if (el.tagName === "SELECT") el.selectedIndex = 0;
      else if (el.tagName !== "FIELDSET") el.value = "";
    });
    form.querySelectorAll('input[type="checkbox"]').forEach(function (el) { el.checked = false; });
    control("year").value = String(new Date().getFullYear() + 543);
    control("body").value = DATA.bodyTemplate;
    addRow("author");
    slugEdited = false;
  }

  var timer = null;

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { update(); save(); }, 150);
  }

  // --- attachments: picked, checked, cleaned here; kept in memory only ----------------------
  var picked = []; // { name, title, type, bytes, url, titleInput, row }
  var fileNote = document.getElementById("f-files-note");
  var LIMITS = { maxBytes: DATA.maxAttachmentMb * 1048576, maxPixels: DATA.maxImagePixels,
    maxSide: DATA.maxImageSide };

  function formatSize(n) {
    return n < 1048576 ? (n / 1024).toFixed(0) + " KB" : (n / 1048576).toFixed(1) + " MB";
  }

  function addPicked(file, bytes, type) {
    var names = picked.map(function (p) { return p.name; });
    var item = { name: IfteFiles.packageName(file.name, type, picked.length + 1, names),
      title: IfteFiles.formatTitle(file.name), type: type, bytes: bytes, url: "" };
    if (type !== "application/pdf") item.url = URL.createObjectURL(new Blob([bytes], { type: type }));
    var row = document.getElementById("ifte-row-file").content.firstElementChild.cloneNode(true);
    row.querySelector("[data-name]").textContent = item.name;
    row.querySelector("[data-size]").textContent = formatSize(bytes.length);
    var input = row.querySelector("input");
    input.id = "f-file-title-" + (++rowCounter);
    row.querySelector("label").htmlFor = input.id;
    input.value = item.title;
    item.titleInput = input;
    item.row = row;
    var insert = row.querySelector("[data-insert]");
    if (item.url) {
      insert.addEventListener("click", function () {
        var body = control("body");
        var at = body.selectionStart || body.value.length;
        var text = "\n\n![" + input.value + "](" + item.name + ")\n\n";
        body.value = body.value.slice(0, at) + text + body.value.slice(at);
        touchedPaths.body = true;
        schedule();
      });
    } else {
      insert.remove();
    }
    row.querySelector("[data-remove]").addEventListener("click", function () {
      picked.splice(picked.indexOf(item), 1);
      if (item.url) URL.revokeObjectURL(item.url);
      row.remove();
      schedule();
    });
    document.getElementById("f-files-list").appendChild(row);
    picked.push(item);
  }

  function pickFiles(files) {
    var notes = [];
    var work = Promise.resolve();
    Array.prototype.forEach.call(files, function (file) {
      work = work.then(function () { return file.arrayBuffer(); }).then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        var verdict = IfteFiles.checkFileBytes(file.name, bytes, LIMITS);
        if (verdict.tooLarge && verdict.mediaType !== "application/pdf") {
          return IfteFiles.scaleDown(bytes, verdict.mediaType).then(function (small) {
            notes.push("ย่อรูป \"" + file.name + "\" ให้เล็กลงแล้ว (" + formatSize(small.length) + ")");
            addPicked({ name: file.name.replace(/\.[^.]*$/, "") + ".jpg" }, small, "image/jpeg");
          });
        }
        if (verdict.th) { notes.push(verdict.th); return null; }
        addPicked(file, IfteFiles.stripPhotoMetadata(bytes), verdict.mediaType);
        return null;
      }).catch(function () { notes.push("อ่านไฟล์ \"" + file.name + "\" ไม่ได้"); });
    });
    return work.then(function () {
      fileNote.textContent = notes.join(" · ");
      fileNote.hidden = !notes.length;
      schedule();
    });
  }

  // --- wiring ------------------------------------------------------------------------------
  if (!restore()) reset();
  if (!form.querySelector('[data-row="author"] .ifte-row')) addRow("author");
  form.hidden = false;
  document.getElementById("ifte-submit-result").hidden = false;

  function pathOf(el) {
    var path = el.getAttribute("data-path") || (el.closest("[data-path]") || el).getAttribute("data-path");
    if (!path && el.closest("[data-row]")) path = { author: "authors", link: "links" }[el.closest("[data-row]").getAttribute("data-row")];
    return path || "";
  }

  form.addEventListener("input", function (event) {
    var path = event.target.getAttribute("data-path");
    if (path === "slug") slugEdited = event.target.value.trim() !== "";
    if (path === "title_en" && !slugEdited) control("slug").value = suggestSlug();
    schedule();
  });
  // A field counts as touched once the teacher leaves it (or changes a choice).
  form.addEventListener("focusout", function (event) {
    var path = pathOf(event.target);
    if (path && !touchedPaths[path]) { touchedPaths[path] = true; schedule(); }
  });
  form.addEventListener("change", function (event) {
    var path = pathOf(event.target);
    if (path) touchedPaths[path] = true;
    schedule();
  });
  form.querySelectorAll("[data-add]").forEach(function (button) {
    button.addEventListener("click", function () {
      var row = addRow(button.getAttribute("data-add"));
      row.querySelector("input").focus();
      schedule();
    });
  });
  document.getElementById("f-files").addEventListener("change", function () {
    var input = this;
    pickFiles(input.files).then(function () { input.value = ""; });
  });
  document.getElementById("ifte-check").addEventListener("click", function () {
    checkedAll = true;
    update();
    document.getElementById("ifte-status").focus();
  });
  document.getElementById("ifte-package").addEventListener("click", function () {
    if (current.errors) return;
    var folder = current.slug;
    var files = [{ name: folder + "/index.md", bytes: new TextEncoder().encode(current.text) }];
    picked.forEach(function (p) { files.push({ name: folder + "/" + p.name, bytes: p.bytes }); });
    saveBytes(IfteFiles.makeZip(files), "ifte-" + folder + ".zip", "application/zip");
    document.getElementById("ifte-package-done").hidden = false;
  });
  document.getElementById("ifte-download").addEventListener("click", function () {
    if (current.errors) return;
    saveBytes(current.text, "index.md", "text/markdown;charset=utf-8");
  });
  document.getElementById("ifte-github").addEventListener("click", function () {
    if (current.errors) return;
    var url = githubNewFileUrl(current.path);
    var done = document.getElementById("ifte-github-done");
    var opened = window.open(url, "_blank");
    navigator.clipboard.writeText(current.text).then(function () {
      done.hidden = false;
    }, function () {
      done.hidden = false;
      done.querySelector("[data-copy-failed]").hidden = false;
    });
    document.getElementById("ifte-github-link").href = url;
    if (opened) opened.opener = null;
  });
  document.getElementById("ifte-clear").addEventListener("click", function () {
    if (!window.confirm("ล้างข้อมูลที่กรอกทั้งหมด? (ลบแบบร่างที่เก็บในเบราว์เซอร์นี้ด้วย)")) return;
    try { localStorage.removeItem(STORAGE_KEY); } catch (e) { /* ignore */ }
    touchedPaths = {};
    checkedAll = false;
    picked.slice().forEach(function (p) { p.row.querySelector("[data-remove]").click(); });
    reset();
    update();
  });
  update();
})();
