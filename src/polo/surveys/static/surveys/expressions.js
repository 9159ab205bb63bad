/* Evaluates XLSForm expressions in the browser. The server parses them
 * (polo/surveys/expressions/parser.py) and sends the tree as JSON; this walks it with the
 * same rules as polo/surveys/expressions/evaluator.py, and tests/browser/
 * test_survey_expressions.py runs the same cases through both. Change them together.
 *
 * window.PoloExpressions.evaluate(tree, env), evaluateBool(tree, env), truthy(value),
 * asString(value). env: {values, current, row, position, today: "YYYY-MM-DD",
 * now: ISO date-time string, choice_item, choice_labels}; today and now default to the
 * device's clock. */
(function () {
  "use strict";
  const MS = 86400000;
  const NUMBER = /^[ \t\n\r]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\n\r]*$/;
  const DATE = /^[ \t\n\r]*([0-9]{4})-([0-9]{2})-([0-9]{2})[ \t\n\r]*$/;
  const DATE_TIME = /^[ \t\n\r]*([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}:?[0-9]{2})?[ \t\n\r]*$/;
  const SPACES = /[ \t\n\r]+/;
  const MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"];
  const WEEKDAYS = ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"];
  const patterns = new Map();

  class XDate {
    constructor(days, time, offset) {
      this.days = days;
      this.time = !!time;
      this.offset = offset || 0;
    }
    get valid() { return isFinite(this.days); }
  }
  const INVALID = new XDate(NaN);
  const isDate = (v) => v instanceof XDate;
  const pad = (n, width) => String(n).padStart(width, "0");

  function calendar(y, m, d) {
    if (y < 1 || m < 1 || m > 12 || d < 1) return INVALID;
    const t = new Date(0);
    t.setUTCFullYear(y, m - 1, d);
    return t.getUTCDate() === d ? new XDate(t.getTime() / MS) : INVALID;
  }

  function parseDate(text) {
    let m = DATE.exec(text);
    if (m) return calendar(+m[1], +m[2], +m[3]);
    m = DATE_TIME.exec(text);
    if (!m) return null;
    const day = calendar(+m[1], +m[2], +m[3]);
    const h = +m[4], min = +m[5], s = +(m[6] || 0);
    if (!day.valid || h > 23 || min > 59 || s > 59) return INVALID;
    const ms = ((h * 60 + min) * 60 + s) * 1000 + +(m[7] || "0").slice(0, 3).padEnd(3, "0");
    let offset = 0;
    if (m[8] && m[8] !== "Z") {
      const digits = m[8].slice(1).replace(":", "");
      offset = +digits.slice(0, 2) * 60 + +digits.slice(2);
      if (m[8][0] === "-") offset = -offset;
    }
    return new XDate((day.days * MS + ms - offset * 60000) / MS, true, offset);
  }

  function parts(d) {
    const total = Math.floor(d.days * MS + 0.5) + (d.time ? d.offset * 60000 : 0);
    const days = Math.floor(total / MS);
    const ms = total - days * MS;
    const t = new Date(days * MS);
    return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), Math.floor(ms / 3600000),
      Math.floor(ms / 60000) % 60, Math.floor(ms / 1000) % 60, ms % 1000, (((days + 4) % 7) + 7) % 7];
  }

  function dateString(d) {
    if (!d.valid) return "";
    const p = parts(d);
    const text = pad(p[0], 4) + "-" + pad(p[1], 2) + "-" + pad(p[2], 2);
    if (!d.time) return text;
    const o = Math.abs(d.offset);
    return text + "T" + pad(p[3], 2) + ":" + pad(p[4], 2) + ":" + pad(p[5], 2) + "." + pad(p[6], 3) +
      (d.offset < 0 ? "-" : "+") + pad(Math.floor(o / 60), 2) + ":" + pad(o % 60, 2);
  }

  function formatNumber(x) {
    if (x !== x) return "NaN";
    if (!isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
    if (x === 0) return "0";
    const [mantissa, exponent] = Math.abs(x).toString().split("e");
    const [whole, fraction = ""] = mantissa.split(".");
    let digits = whole + fraction;
    let point = whole.length + +(exponent || 0);
    const stripped = digits.replace(/^0+/, "");
    point -= digits.length - stripped.length;
    digits = stripped.replace(/0+$/, "");
    let text;
    if (point <= 0) text = "0." + "0".repeat(-point) + digits;
    else if (point >= digits.length) text = digits + "0".repeat(point - digits.length);
    else text = digits.slice(0, point) + "." + digits.slice(point);
    return (x < 0 ? "-" : "") + text;
  }

  function num(v) {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "number") return v;
    if (isDate(v)) return v.days;
    if (Array.isArray(v)) return v.length ? num(v[0]) : NaN;
    if (typeof v === "string") {
      if (NUMBER.test(v)) return parseFloat(v.replace(/^[ \t\n\r]+/, ""));
      const d = parseDate(v);
      return d ? d.days : NaN;
    }
    return NaN;
  }

  function str(v) {
    if (typeof v === "string") return v;
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return formatNumber(v);
    if (isDate(v)) return dateString(v);
    if (Array.isArray(v)) return v.length ? v[0] : "";
    return "";
  }

  function truthy(v) {
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v === v && v !== 0;
    if (isDate(v)) return v.valid;
    if (typeof v === "string" || Array.isArray(v)) return v.length > 0;
    return false;
  }

  function toDate(v) {
    if (isDate(v)) return v;
    if (Array.isArray(v)) v = v.length ? v[0] : "";
    if (typeof v === "string") {
      const d = parseDate(v);
      if (d) return d;
      v = num(v);
    }
    if (typeof v === "number" && isFinite(v)) return new XDate(v, v !== Math.floor(v), 0);
    return INVALID;
  }

  const tokens = (text) => text.split(SPACES).filter(Boolean);
  const chars = (text) => Array.from(text);
  const trunc = (x) => (isFinite(x) ? Math.trunc(x) : x);

  function answer(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "string") return v;
    if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? x : ""));
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return formatNumber(v);
    return String(v);
  }

  const has = (object, key) => object != null && Object.prototype.hasOwnProperty.call(object, key);
  const isRow = (row) => row !== null && typeof row === "object" && !Array.isArray(row);

  function column(rows, name) {
    let found = null;
    for (const row of rows) {
      if (!isRow(row)) continue;
      if (has(row, name)) {
        found = found || [];
        found.push(Array.isArray(row[name]) ? "" : answer(row[name]));
        continue;
      }
      for (const value of Object.values(row)) {
        if (Array.isArray(value)) {
          const inner = column(value, name);
          if (inner !== null) found = (found || []).concat(inner);
        }
      }
    }
    return found;
  }

  function reference(name, env) {
    if (env.row && has(env.row, name)) return answer(env.row[name]);
    if (has(env.values, name)) return answer(env.values[name]);
    for (const value of Object.values(env.values || {})) {
      if (Array.isArray(value)) {
        const found = column(value, name);
        if (found !== null) return found;
      }
    }
    return "";
  }

  function compare(op, a, b) {
    if (typeof a === "boolean" || typeof b === "boolean") {
      if (op === "=" || op === "!=") return (truthy(a) === truthy(b)) === (op === "=");
      a = truthy(a);
      b = truthy(b);
    }
    if (Array.isArray(a)) return a.some((item) => compare(op, item, b));
    if (Array.isArray(b)) return b.some((item) => compare(op, a, item));
    if (op === "=" || op === "!=") {
      const numeric = [a, b].some((v) => typeof v === "number" || typeof v === "boolean" || isDate(v));
      return (numeric ? num(a) === num(b) : str(a) === str(b)) === (op === "=");
    }
    const x = num(a), y = num(b);
    return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
  }

  function round(x, digits) {
    if (!isFinite(x)) return x;
    if (digits !== digits) return NaN;
    const places = Math.trunc(digits);
    const scale = Math.pow(10, Math.abs(places));
    let scaled = places >= 0 ? x * scale : x / scale;
    if (!isFinite(scaled)) return x;
    scaled = Number(scaled.toPrecision(15));
    const rounded = Math.floor(scaled + 0.5);
    return places >= 0 ? rounded / scale : rounded * scale;
  }

  function index(v, fallback, length) {
    const n = num(v);
    return n !== n ? fallback : Math.max(0, Math.min(length, trunc(n)));
  }

  function formatDate(v, pattern) {
    const d = toDate(v);
    if (!d.valid) return "";
    const [y, m, day, h, min, s, ms, wd] = parts(d);
    const fields = {
      Y: pad(y, 4), y: pad(y % 100, 2), m: pad(m, 2), n: String(m), b: MONTHS[m - 1],
      d: pad(day, 2), e: String(day), a: WEEKDAYS[wd], H: pad(h, 2), h: String(h),
      M: pad(min, 2), S: pad(s, 2), 3: pad(ms, 3),
    };
    return pattern.replace(/%([YymnbdeaHhMS3])/g, (all, code) => fields[code]);
  }

  function fromJsDate(t) {
    return new XDate(t.getTime() / MS, true, -t.getTimezoneOffset());
  }

  function today(env) {
    if (env.today) return toDate(env.today);
    const t = new Date();
    return calendar(t.getFullYear(), t.getMonth() + 1, t.getDate());
  }

  function numbers(values) {
    return [].concat(...values.map((v) => (Array.isArray(v) ? v : [v]))).map(num);
  }

  function extreme(values, pick) {
    const ns = numbers(values);
    return !ns.length || ns.some((n) => n !== n) ? NaN : pick(...ns);
  }

  function randomString(length) {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    return Array.from(bytes, (b) => alphabet[b % 62]).join("");
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const h = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => pad(b.toString(16), 2));
    h[6] = "4" + h[6][1];
    h[8] = "89ab"[parseInt(h[8][0], 16) % 4] + h[8][1];
    const x = h.join("");
    return [x.slice(0, 8), x.slice(8, 12), x.slice(12, 16), x.slice(16, 20), x.slice(20)].join("-");
  }

  function search(pattern, text) {
    if (!patterns.has(pattern)) patterns.set(pattern, new RegExp(pattern, "u"));
    return patterns.get(pattern).test(text);
  }

  function translate(text, from, to) {
    const map = new Map();
    from.forEach((c, i) => { if (!map.has(c)) map.set(c, i < to.length ? to[i] : ""); });
    return text.map((c) => (map.has(c) ? map.get(c) : c)).join("");
  }

  const LAZY = {
    if: (a, env) => ev(truthy(ev(a[0], env)) ? a[1] : a[2], env),
    coalesce: (a, env) => { const v = ev(a[0], env); return str(v) !== "" ? v : ev(a[1], env); },
    position: (a, env) => (env.position == null ? NaN : +env.position),
    today: (a, env) => today(env),
    now: (a, env) => (env.now ? toDate(env.now) : fromJsDate(new Date())),
    "indexed-repeat": (a, env) => {
      const rows = (env.values || {})[a[1].ref];
      const i = num(ev(a[2], env));
      if (!Array.isArray(rows) || i !== Math.floor(i) || i < 1 || i > rows.length || !isRow(rows[i - 1])) return "";
      return answer(has(rows[i - 1], a[0].ref) ? rows[i - 1][a[0].ref] : "");
    },
    "jr:choice-name": (a, env) => {
      const labels = (env.choice_labels || {})[a[1].str] || {};
      const key = str(ev(a[0], env));
      return has(labels, key) ? labels[key] : "";
    },
  };

  const n0 = (f) => (v) => f(num(v[0]));
  const s0 = (v) => str(v[0]);
  const FUNCTIONS = {
    concat: (v) => v.map((x) => (Array.isArray(x) ? x.join("") : str(x))).join(""),
    join: (v) => [].concat(...v.slice(1).map((x) => (Array.isArray(x) ? x : [str(x)]))).join(str(v[0])),
    contains: (v) => s0(v).includes(str(v[1])),
    "starts-with": (v) => s0(v).startsWith(str(v[1])),
    "ends-with": (v) => s0(v).endsWith(str(v[1])),
    substr: (v) => {
      const c = chars(s0(v));
      const end = v.length > 2 ? index(v[2], c.length, c.length) : c.length;
      return c.slice(index(v[1], 0, c.length), end).join("");
    },
    "substring-before": (v) => {
      const t = s0(v), sep = str(v[1]), i = t.indexOf(sep);
      return sep && i >= 0 ? t.slice(0, i) : "";
    },
    "substring-after": (v) => {
      const t = s0(v), sep = str(v[1]), i = t.indexOf(sep);
      return i >= 0 ? t.slice(i + sep.length) : "";
    },
    "string-length": (v) => chars(s0(v)).length,
    "normalize-space": (v) => tokens(s0(v)).join(" "),
    translate: (v) => translate(...v.map((x) => chars(str(x)))),
    regex: (v) => search(str(v[1]), s0(v)),
    selected: (v) => tokens(s0(v)).includes(str(v[1]).replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, "")),
    "count-selected": (v) => tokens(s0(v)).length,
    "selected-at": (v) => {
      const p = tokens(s0(v)), i = num(v[1]);
      return i === Math.floor(i) && i >= 0 && i < p.length ? p[i] : "";
    },
    number: (v) => num(v[0]),
    int: n0(trunc),
    round: (v) => round(num(v[0]), v.length > 1 ? num(v[1]) : 0),
    floor: n0(Math.floor),
    ceiling: n0(Math.ceil),
    abs: n0(Math.abs),
    pow: (v) => Math.pow(num(v[0]), num(v[1])),
    sqrt: n0(Math.sqrt),
    min: (v) => extreme(v, Math.min),
    max: (v) => extreme(v, Math.max),
    sum: (v) => (Array.isArray(v[0]) ? numbers(v).reduce((t, n) => t + n, 0) : num(v[0])),
    count: (v) => (Array.isArray(v[0]) ? v[0].length : 1),
    "count-non-empty": (v) => (Array.isArray(v[0]) ? v[0] : [v[0]]).filter((x) => str(x) !== "").length,
    date: (v) => {
      const d = toDate(v[0]);
      if (!d.valid || !d.time) return d;
      return new XDate(Math.floor((Math.floor(d.days * MS + 0.5) + d.offset * 60000) / MS));
    },
    "date-time": (v) => { const d = toDate(v[0]); return d.valid ? new XDate(d.days, true, d.offset) : INVALID; },
    "decimal-date-time": (v) => toDate(v[0]).days,
    "format-date": (v) => formatDate(v[0], str(v[1])),
    "format-date-time": (v) => formatDate(v[0], str(v[1])),
    boolean: (v) => truthy(v[0]),
    "boolean-from-string": (v) => s0(v) === "true" || s0(v) === "1",
    string: s0,
    true: () => true,
    false: () => false,
    not: (v) => !truthy(v[0]),
    once: (v) => v[0],
    uuid: (v) => (v.length ? randomString(index(v[0], 0, 1000)) : uuid()),
  };
  const DEFAULTS_TO_CURRENT = ["string-length", "normalize-space", "number", "string"];

  const COMPARISONS = ["=", "!=", "<", "<=", ">", ">="];
  const ARITHMETIC = {
    "+": (x, y) => x + y,
    "-": (x, y) => x - y,
    "*": (x, y) => x * y,
    div: (x, y) => x / y,
    mod: (x, y) => x % y,
  };

  function ev(node, env) {
    if (has(node, "num")) return node.num;
    if (has(node, "str")) return node.str;
    if (has(node, "ref")) return reference(node.ref, env);
    if (has(node, "cur")) return answer(env.current);
    if (has(node, "col")) return answer((env.choice_item || {})[node.col]);
    const args = node.args || [];
    if (has(node, "fn")) {
      if (has(LAZY, node.fn)) return LAZY[node.fn](args, env);
      if (!has(FUNCTIONS, node.fn)) throw new Error("Función no admitida: " + node.fn);
      let values = args.map((a) => ev(a, env));
      if (!values.length && DEFAULTS_TO_CURRENT.includes(node.fn)) values = [answer(env.current)];
      return FUNCTIONS[node.fn](values);
    }
    const op = node.op;
    if (op === "or") return args.some((a) => truthy(ev(a, env)));
    if (op === "and") return args.every((a) => truthy(ev(a, env)));
    if (op === "neg") return -num(ev(args[0], env));
    if (has(ARITHMETIC, op)) return args.slice(1).reduce((r, a) => ARITHMETIC[op](r, num(ev(a, env))), num(ev(args[0], env)));
    if (!COMPARISONS.includes(op)) throw new Error("Operador no admitido: " + op);
    return args.slice(1).reduce((r, a) => compare(op, r, ev(a, env)), ev(args[0], env));
  }

  const evaluate = (tree, env) => ev(tree, env || { values: {} });
  window.PoloExpressions = {
    evaluate,
    evaluateBool: (tree, env) => truthy(evaluate(tree, env)),
    truthy,
    asString: str,
    XDate,
  };
})();
