// Google Fonts for the offline reference (bench/parity.py loads it with `node --import`).
//
// HyperFrames' compiler fetches Google Fonts itself: the faces of a canonical family it does not bundle
// (Inter 300, 500, 800...) and the faces of other families the page names. Online it gets them; here the
// machine has no network, so the reference drew Inter 300 with the bundled 400 and 800 with the 900,
// which no user sees (docs/parity.md). This module answers those requests as Google would, from the same
// @fontsource files hfr uses: a css/css2 URL gets one @font-face per face it asks for (latin subset), or
// HTTP 400 when the family lacks a face it asks for (Google refuses such a URL); the woff2 URLs in that
// CSS are served from the files. Every other request goes to the real fetch.
//
// HFR_PARITY_FONTSOURCE_DIRS: the npm folders (':'-separated) holding @fontsource/<id>@<version>.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const DIRS = (process.env.HFR_PARITY_FONTSOURCE_DIRS || "").split(":").filter(Boolean);
const FILE_HOST = "fonts.gstatic.com";
const FILE_PREFIX = "/hfr-parity/";
const LATIN = "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, "
    + "U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD";
const STATIC_WEIGHTS = [100, 200, 300, 400, 500, 600, 700, 800, 900];

function versionKey(v) {
    return v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? p.padStart(8, "0") : p)).join(".");
}

/** The newest cached @fontsource/<id> folder, or null. */
export function fontsourcePackage(id, dirs = DIRS) {
    let best = null;
    for (const d of dirs) {
        const scope = join(d, "@fontsource");
        if (!existsSync(scope)) continue;
        for (const entry of readdirSync(scope)) {
            if (!entry.startsWith(id + "@")) continue;
            const version = entry.slice(id.length + 1);
            if (!best || versionKey(version) > versionKey(best.version)) best = { dir: join(scope, entry), entry, version };
        }
    }
    return best;
}

/** [{family, weight, italic}] a css or css2 URL asks for (Google's own defaults: 400 upright). */
export function requestedFaces(url) {
    const u = new URL(url);
    const faces = [];
    for (const value of u.searchParams.getAll("family")) {
        for (const one of (u.pathname === "/css" ? value.split("|") : [value])) {
            const [name, spec = ""] = one.split(/:(.*)/s);
            const family = name.replace(/\+/g, " ").trim();
            if (!family) continue;
            if (u.pathname === "/css2") {
                const at = spec.indexOf("@");
                if (at < 0) {
                    faces.push({ family, weight: 400, italic: false });
                    continue;
                }
                const axes = spec.slice(0, at).split(",");
                for (const tuple of spec.slice(at + 1).split(";")) {
                    const values = tuple.split(",");
                    let italic = false;
                    let weights = [400];
                    axes.forEach((axis, i) => {
                        const v = (values[i] || "").trim();
                        if (axis.trim() === "ital") italic = v === "1";
                        if (axis.trim() === "wght") {
                            const range = v.split("..").map(Number);
                            weights = range.length === 2 ? STATIC_WEIGHTS.filter((w) => w >= range[0] && w <= range[1]) : [Number(v)];
                        }
                    });
                    for (const weight of weights) faces.push({ family, weight, italic });
                }
            } else if (spec) {
                for (const variant of spec.split(",")) {
                    const v = variant.trim().toLowerCase();
                    const digits = v.replace(/[^0-9]/g, "");
                    faces.push({ family, weight: digits ? Number(digits) : v.includes("bold") ? 700 : 400,
                        italic: v.endsWith("italic") || v.endsWith("i") });
                }
            } else {
                faces.push({ family, weight: 400, italic: false });
            }
        }
    }
    return faces;
}

/** The CSS Google would answer, or null where it answers 400 (a face the family does not have). */
export function googleCss(url, dirs = DIRS) {
    const withText = new URL(url).searchParams.has("text");
    const rules = [];
    for (const face of requestedFaces(url)) {
        const id = face.family.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
        const pkg = fontsourcePackage(id, dirs);
        const style = face.italic ? "italic" : "normal";
        const file = `${id}-latin-${face.weight}-${style}.woff2`;
        if (!pkg || !existsSync(join(pkg.dir, "files", file))) return null;
        // Google answers a text= request with one subset file per face and no unicode-range
        rules.push(`@font-face {\n  font-family: '${face.family}';\n  font-style: ${style};\n  font-weight: ${face.weight};\n`
            + `  src: url(https://${FILE_HOST}${FILE_PREFIX}${pkg.entry}/${file}) format('woff2');\n`
            + (withText ? "" : `  unicode-range: ${LATIN};\n`) + "}\n");
    }
    return rules.length ? rules.join("") : null;
}

/** The bytes of a file URL of googleCss, or null. */
export function fontFile(url, dirs = DIRS) {
    const u = new URL(url);
    if (u.hostname !== FILE_HOST || !u.pathname.startsWith(FILE_PREFIX)) return null;
    const [entry, file] = u.pathname.slice(FILE_PREFIX.length).split("/");
    if (!entry || !file || entry.includes("..") || file.includes("..")) return null;
    for (const d of dirs) {
        const path = join(d, "@fontsource", entry, "files", file);
        if (existsSync(path)) return readFileSync(path);
    }
    return null;
}

const realFetch = globalThis.fetch;
if (DIRS.length > 0 && realFetch) {
    globalThis.fetch = async (input, init) => {
        const url = typeof input === "string" ? input : input instanceof URL ? input.href : input?.url;
        let u = null;
        try {
            u = new URL(url);
        } catch {
            return realFetch(input, init);
        }
        if (u.hostname === "fonts.googleapis.com" && (u.pathname === "/css" || u.pathname === "/css2")) {
            const css = googleCss(url);
            return css === null ? new Response("Bad Request", { status: 400 })
                : new Response(css, { status: 200, headers: { "content-type": "text/css; charset=utf-8" } });
        }
        if (u.hostname === FILE_HOST && u.pathname.startsWith(FILE_PREFIX)) {
            const bytes = fontFile(url);
            return bytes === null ? new Response("Not Found", { status: 404 })
                : new Response(bytes, { status: 200, headers: { "content-type": "font/woff2" } });
        }
        return realFetch(input, init);
    };
}
