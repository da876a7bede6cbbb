/* SPDX-License-Identifier: MIT */
/*
 * src/report/html.c: the self-contained HTML report (tw_report_html, tw_report_html_write).
 *
 * One file, no network: the report document (rdoc.h) is written as static HTML (headline,
 * headings, tables, provenance, so the page reads without scripts) plus one JSON data block,
 * followed by the inlined vega, vega-lite and vega-embed builds (html_assets.h) and a small
 * script that renders every section's Vega-Lite spec with the section's rows, makes the tables
 * sortable and offers each table as CSV (a Blob, no request). A Content-Security-Policy meta
 * tag forbids every fetch (default-src 'none'), so a report cannot load anything even if a
 * library tried. The script records on <html> when the charts are done (data-tw-done), how
 * many rendered (data-tw-charts, data-tw-charts-ok), the errors seen (data-tw-errors) and the
 * resources loaded (data-tw-resources): the browser test reads these (tests/browser/).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "io/atomic.h"
#include "report/html_assets.h"
#include "report/rdoc.h"
#include "report/report_int.h"
#include "tradewar/tradewar.h"

void tw_report_opts_init(tw_report_opts *o)
{
    if (o) {
        o->source = NULL;
        o->country = NULL;
        o->scenario_file = NULL;
        o->scenario_sha256 = NULL;
    }
}

static void put_html(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* Script text: "</script" (any case) cannot end the element early. */
static void put_script(FILE *out, const unsigned char *s, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '<' && k + 7 < n && s[k + 1] == '/' &&
            (s[k + 2] == 's' || s[k + 2] == 'S') && strncasecmp((const char *)s + k + 2,
                                                                "script", 6) == 0) {
            fputs("<\\/", out);
            k++;
            continue;
        }
        fputc(s[k], out);
    }
}

static const char *const page_style =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "margin:0 auto;max-width:1280px;padding:0 1.5em 3em;color:#1a1a1a;line-height:1.45}"
    "h1{font-size:1.6em;margin:1em 0 .2em}h2{font-size:1.25em;margin:1.6em 0 .3em;"
    "border-bottom:1px solid #ccc;padding-bottom:.2em}"
    ".kind{color:#555;margin:0}.headline li{margin:.25em 0}"
    ".pair{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}"
    ".chart{flex:0 1 auto;max-width:100%;overflow-x:auto}"
    ".tablebox{flex:1 1 340px;max-height:440px;overflow:auto;border:1px solid #ddd}"
    "table{border-collapse:collapse;font-size:.85em;width:100%}"
    "th,td{padding:.2em .5em;border-bottom:1px solid #eee;white-space:nowrap}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "th{position:sticky;top:0;background:#f4f4f4;cursor:pointer;text-align:left}"
    "th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}"
    "button.tw-csv{margin:.4em 0;font-size:.85em}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;font-size:.9em}"
    "dt{font-weight:600}dd{margin:0;word-break:break-word}"
    ".warn{background:#fff3cd;border:1px solid #e0c36c;padding:.5em 1em}"
    "details pre{white-space:pre-wrap;font-size:.8em}";

/* Runs first: collects errors and CSP violations for the page's own check. */
static const char *const capture_script =
    "window.twErrors=[];"
    "window.addEventListener('error',function(e){twErrors.push(String(e.message||e));});"
    "window.addEventListener('unhandledrejection',function(e){twErrors.push(String(e.reason));});"
    "document.addEventListener('securitypolicyviolation',function(e){"
    "twErrors.push('blocked by policy: '+e.blockedURI);});"
    "(function(){var ce=console.error;console.error=function(){"
    "twErrors.push(Array.prototype.map.call(arguments,String).join(' '));"
    "return ce.apply(console,arguments);};})();";

static const char *const main_script =
    "(function(){'use strict';"
    "var data=JSON.parse(document.getElementById('tw-data').textContent);"
    "var root=document.documentElement;"
    /* sortable tables */
    "function sortBy(t,ci,th){var asc=th.getAttribute('aria-sort')!=='ascending';"
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h){h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',asc?'ascending':'descending');var num=th.dataset.num==='1';"
    "var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);"
    "rows.sort(function(r1,r2){var x=r1.cells[ci].dataset.v,y=r2.cells[ci].dataset.v;"
    "if(num){var a=x===''?NaN:+x,c=y===''?NaN:+y;if(isNaN(a))return 1;if(isNaN(c))return -1;"
    "return asc?a-c:c-a;}return asc?x.localeCompare(y):y.localeCompare(x);});"
    "rows.forEach(function(r){b.appendChild(r);});}"
    "Array.prototype.forEach.call(document.querySelectorAll('table.tw-table'),function(t){"
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,ci){th.tabIndex=0;"
    "th.addEventListener('click',function(){sortBy(t,ci,th);});"
    "th.addEventListener('keydown',function(e){if(e.key==='Enter')sortBy(t,ci,th);});});});"
    /* CSV download */
    "function q(v){if(v===null||v===undefined)return '';var s=String(v);"
    "return /[\",\\n\\r]/.test(s)?'\"'+s.replace(/\"/g,'\"\"')+'\"':s;}"
    "Array.prototype.forEach.call(document.querySelectorAll('button.tw-csv'),function(btn){"
    "btn.addEventListener('click',function(){var s=data.sections[+btn.dataset.section];"
    "var lines=[s.columns.map(function(c){return q(c.field);}).join(',')];"
    "s.rows.forEach(function(r){lines.push(s.columns.map(function(c){return q(r[c.field]);}).join(','));});"
    "var a=document.createElement('a');"
    "a.href=URL.createObjectURL(new Blob([lines.join('\\n')+'\\n'],{type:'text/csv'}));"
    "a.download=data.kind+'-'+s.id+'.csv';document.body.appendChild(a);a.click();a.remove();});});"
    /* charts */
    "var jobs=[];"
    "function done(){var ok=document.querySelectorAll('[data-tw-rendered=yes]').length;"
    "root.setAttribute('data-tw-charts',String(jobs.length));"
    "root.setAttribute('data-tw-charts-ok',String(ok));"
    "root.setAttribute('data-tw-resources',JSON.stringify(performance.getEntriesByType('resource')"
    ".map(function(e){return e.name;})));"
    "root.setAttribute('data-tw-errors',JSON.stringify(window.twErrors));"
    "root.setAttribute('data-tw-done','1');}"
    "if(typeof vegaEmbed!=='function'){twErrors.push('chart libraries missing from this build');"
    "done();return;}"
    "var cfg={font:'DejaVu Sans, sans-serif',axis:{labelFontSize:11,titleFontSize:12},"
    "legend:{labelFontSize:11,titleFontSize:12},title:{fontSize:13}};"
    "data.sections.forEach(function(s,i){if(!s.spec)return;"
    "var el=document.getElementById('tw-chart-'+i);var spec=JSON.parse(JSON.stringify(s.spec));"
    "spec.data={values:s.rows};spec.config=cfg;"
    "if(!spec.description)spec.description=s.title;"
    "jobs.push(vegaEmbed(el,spec,{renderer:'svg',"
    "actions:{export:true,source:false,compiled:false,editor:false}}).then(function(r){"
    "var svg=el.querySelector('svg');"
    "var marks=svg?svg.querySelectorAll('path,rect,line,text,circle').length:0;"
    "el.setAttribute('data-tw-rendered',marks>0?'yes':'no');"
    "if(svg){svg.setAttribute('role','img');svg.setAttribute('aria-label',s.title);}"
    "return r;}));});"
    "Promise.allSettled(jobs).then(function(res){res.forEach(function(r){"
    "if(r.status==='rejected')twErrors.push(String(r.reason));});done();});"
    "})();";

static void put_cell(FILE *out, const json_t *v, const json_t *decimals)
{
    if (json_is_number(v)) {
        double x = json_number_value(v);
        int d = json_is_integer(decimals) ? (int)json_integer_value(decimals) : 6;
        fprintf(out, "<td class=\"n\" data-v=\"%.17g\">%.*f</td>", x, d,
                tw_report_no_negative_zero(x, d));
    } else if (json_is_string(v)) {
        fputs("<td data-v=\"", out);
        put_html(out, json_string_value(v));
        fputs("\">", out);
        put_html(out, json_string_value(v));
        fputs("</td>", out);
    } else {
        fputs("<td class=\"n\" data-v=\"\">n/a</td>", out);
    }
}

static void put_section(FILE *out, const json_t *s, size_t idx)
{
    const json_t *cols = json_object_get(s, "columns"), *rows = json_object_get(s, "rows");
    fprintf(out, "<section id=\"%s\">\n<h2>", json_string_value(json_object_get(s, "id")));
    put_html(out, json_string_value(json_object_get(s, "title")));
    fputs("</h2>\n<p>", out);
    put_html(out, json_string_value(json_object_get(s, "text")));
    fputs("</p>\n<div class=\"pair\">", out);
    if (!json_is_null(json_object_get(s, "spec")))
        fprintf(out, "<div class=\"chart\" id=\"tw-chart-%zu\"></div>", idx);
    fputs("<div class=\"tablebox\"><table class=\"tw-table\"><caption hidden>", out);
    put_html(out, json_string_value(json_object_get(s, "title")));
    fputs("</caption><thead><tr>", out);
    size_t c, r;
    const json_t *col, *row;
    json_array_foreach(cols, c, col)
    {
        fprintf(out, "<th scope=\"col\" data-num=\"%d\">",
                json_is_integer(json_object_get(col, "decimals")) ? 1 : 0);
        put_html(out, json_string_value(json_object_get(col, "title")));
        fputs("</th>", out);
    }
    fputs("</tr></thead><tbody>\n", out);
    json_array_foreach(rows, r, row)
    {
        fputs("<tr>", out);
        json_array_foreach(cols, c, col)
        {
            const char *f = json_string_value(json_object_get(col, "field"));
            put_cell(out, json_object_get(row, f ? f : ""), json_object_get(col, "decimals"));
        }
        fputs("</tr>\n", out);
    }
    fprintf(out, "</tbody></table></div></div>\n<button class=\"tw-csv\" type=\"button\" "
                 "data-section=\"%zu\">Download table as CSV</button>\n</section>\n",
            idx);
}

static void put_licence(FILE *out, const char *name, const unsigned char *text, size_t n)
{
    if (n == 0)
        return;
    fprintf(out, "<h3>%s</h3><pre>", name);
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, text, n);
        s[n] = '\0';
        put_html(out, s);
        free(s);
    }
    fputs("</pre>\n", out);
}

static tw_status write_page(const json_t *doc, FILE *out, tw_err *err)
{
    char *blob = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(17));
    if (!blob)
        return tw_err_set(err, TW_ENOMEM, "report: out of memory");
    const char *title = json_string_value(json_object_get(doc, "title"));
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
          "img-src data: blob:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"tradewar ",
          out);
    put_html(out, tw_version());
    fputs("\">\n<title>", out);
    put_html(out, title);
    fprintf(out, "</title>\n<style>%s</style>\n<script>%s</script>\n</head>\n<body>\n<header>"
                 "<h1>",
            page_style, capture_script);
    put_html(out, title);
    fputs("</h1><p class=\"kind\">tradewar report, result kind <code>", out);
    put_html(out, json_string_value(json_object_get(doc, "kind")));
    fputs("</code></p></header>\n", out);
    if (tw_asset_vega_js_len == 0)
        fputs("<p class=\"warn\">This tradewar was built without its chart libraries "
              "(node_modules/ missing at build time): tables only.</p>\n",
              out);
    fputs("<section id=\"summary\"><h2>Summary</h2><ul class=\"headline\">\n", out);
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(doc, "headline"), i, x)
    {
        fputs("<li>", out);
        put_html(out, json_string_value(x));
        fputs("</li>\n", out);
    }
    fputs("</ul></section>\n", out);
    json_array_foreach(json_object_get(doc, "sections"), i, x) put_section(out, x, i);
    fputs("<section id=\"provenance\"><h2>Provenance</h2><dl>\n", out);
    json_array_foreach(json_object_get(doc, "provenance"), i, x)
    {
        fputs("<dt>", out);
        put_html(out, json_string_value(json_object_get(x, "key")));
        fputs("</dt><dd>", out);
        put_html(out, json_string_value(json_object_get(x, "value")));
        fputs("</dd>\n", out);
    }
    fputs("</dl></section>\n<details id=\"licences\"><summary>Licences of the inlined chart "
          "libraries (Vega, Vega-Lite, Vega-Embed: BSD-3-Clause)</summary>\n",
          out);
    put_licence(out, "Vega", tw_asset_vega_license, tw_asset_vega_license_len);
    put_licence(out, "Vega-Lite", tw_asset_vega_lite_license, tw_asset_vega_lite_license_len);
    put_licence(out, "Vega-Embed", tw_asset_vega_embed_license, tw_asset_vega_embed_license_len);
    fputs("</details>\n<script id=\"tw-data\" type=\"application/json\">", out);
    for (const char *p = blob; *p; p++) {
        if (*p == '<')
            fputs("\\u003c", out); /* '<' only occurs inside JSON strings */
        else
            fputc(*p, out);
    }
    free(blob);
    fputs("</script>\n", out);
    const unsigned char *js[3] = {tw_asset_vega_js, tw_asset_vega_lite_js, tw_asset_vega_embed_js};
    size_t js_len[3] = {tw_asset_vega_js_len, tw_asset_vega_lite_js_len, tw_asset_vega_embed_js_len};
    for (int k = 0; k < 3; k++) {
        if (js_len[k] == 0)
            continue;
        fputs("<script>", out);
        put_script(out, js[k], js_len[k]);
        fputs("</script>\n", out);
    }
    fprintf(out, "<script>%s</script>\n</body>\n</html>\n", main_script);
    return tw_report_stream_ok(out, "the HTML report", err);
}

tw_status tw_report_html(const char *json, size_t len, const tw_report_opts *opts, FILE *out,
                         tw_err *err)
{
    if (!json || !out)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    json_t *doc = NULL;
    tw_status st = tw_rdoc_build(json, len, opts, &doc, err);
    if (st != TW_OK)
        return st;
    st = write_page(doc, out, err);
    json_decref(doc);
    return st;
}

tw_status tw_report_html_write(const char *json, size_t len, const tw_report_opts *opts,
                               const char *path, tw_err *err)
{
    if (!json || !path)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    json_t *doc = NULL;
    tw_status st = tw_rdoc_build(json, len, opts, &doc, err);
    if (st != TW_OK)
        return st;
    tw_atomic_file *f = NULL;
    FILE *fp = NULL;
    st = tw_atomic_open(path, &f, &fp, err);
    if (st == TW_OK) {
        st = write_page(doc, fp, err);
        if (st == TW_OK)
            st = tw_atomic_commit(f, err);
        else
            tw_atomic_abort(f);
    }
    json_decref(doc);
    return st;
}
