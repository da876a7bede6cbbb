/* SPDX-License-Identifier: MIT */
/*
 * src/io/concord.c: the HS-chapter, HS-heading and NAICS-3 concordances to the ten model
 * sectors (see concord.h), their lookups, and their CSV form (data/concordance/).
 *
 * The sectors follow ISIC Rev. 4 divisions (AGR A01-A03, MIN B05-B09, FOOD C10-C12, TEX
 * C13-C15, CHEM C19-C23, MET C24-C25, MACH C26-C28, TRAN C29-C30, OMAN C16-C18 and C31-C33,
 * SERV D-U). An HS chapter goes to the sector of the ISIC division that produces most of its
 * world trade; a heading overrides its chapter when it belongs to another division *and* to
 * the NAICS subsector that the NAICS table maps to that other sector, so that the product
 * (HS) and industry (NAICS) routes agree where US-China trade is large. The reasons for every
 * mixed chapter are in the `note` fields and, at more length, in docs/concordances.md.
 *
 * References: WCO, Harmonized System 2017 edition (chapter titles); UN, ISIC Rev. 4; US Census
 * Bureau, NAICS-based trade codes (the 9xx special codes).
 * Invariants: hs2[] holds chapters 1..99 in order; hs4[] and naics3[] are sorted by code;
 * every sector string is one of sectors[].code.
 */
#include "io/concord.h"

#include <string.h>

#include "io/csv.h"

static const struct tw_concord_sector sectors[TW_CONCORD_N_SECTOR] = {
    {"AGR", "Agriculture, forestry and fishing", "A01-A03"},
    {"MIN", "Mining and quarrying, incl. crude oil and natural gas", "B05-B09"},
    {"FOOD", "Food products, beverages and tobacco", "C10-C12"},
    {"TEX", "Textiles, apparel, leather and footwear", "C13-C15"},
    {"CHEM", "Refined petroleum, chemicals, pharmaceuticals, rubber and plastics, non-metallic "
             "minerals", "C19-C23"},
    {"MET", "Basic and fabricated metals", "C24-C25"},
    {"MACH", "Computers, electronics and optical products, electrical equipment, machinery",
     "C26-C28"},
    {"TRAN", "Motor vehicles and other transport equipment", "C29-C30"},
    {"OMAN", "Wood, paper and printing; furniture and other manufacturing",
     "C16-C18, C31-C33"},
    {"SERV", "Services (utilities, construction, trade, transport, business and public "
             "services)", "D-U"},
};

#define MIXED "mixed chapter: see docs/concordances.md"

static const struct tw_concord_hs2 hs2[] = {
    {1, "AGR", "mapped", "Live animals", ""},
    {2, "FOOD", "mapped", "Meat and edible meat offal", "slaughtering is ISIC C1010"},
    {3, "AGR", "mapped", "Fish and crustaceans, molluscs and other aquatic invertebrates",
     "fresh, chilled and frozen catch (A03); frozen fish for reprocessing counts here too"},
    {4, "FOOD", "mapped",
     "Dairy produce; birds' eggs; natural honey; edible products of animal origin n.e.s.",
     "dairy (C1050) dominates; eggs 0407 and honey 0409 go to AGR by override"},
    {5, "AGR", "mapped", "Products of animal origin n.e.s.", "raw animal by-products"},
    {6, "AGR", "mapped", "Live trees and other plants; bulbs, roots; cut flowers", ""},
    {7, "AGR", "mapped", "Edible vegetables and certain roots and tubers", ""},
    {8, "AGR", "mapped", "Edible fruit and nuts; peel of citrus fruit or melons", ""},
    {9, "AGR", "mapped", "Coffee, tea, mate and spices",
     "mostly unroasted coffee, tea and spices (A0127-A0128)"},
    {10, "AGR", "mapped", "Cereals", ""},
    {11, "FOOD", "mapped", "Products of the milling industry; malt; starches; inulin; gluten",
     ""},
    {12, "AGR", "mapped",
     "Oil seeds and oleaginous fruits; miscellaneous grains, seeds and fruit; industrial or "
     "medicinal plants; straw and fodder", "soybeans 1201"},
    {13, "AGR", "mapped", "Lac; gums, resins and other vegetable saps and extracts", ""},
    {14, "AGR", "mapped", "Vegetable plaiting materials; vegetable products n.e.s.", ""},
    {15, "FOOD", "mapped", "Animal or vegetable fats and oils; prepared edible fats; waxes",
     "C1040"},
    {16, "FOOD", "mapped", "Preparations of meat, fish or crustaceans", ""},
    {17, "FOOD", "mapped", "Sugars and sugar confectionery", ""},
    {18, "FOOD", "mapped", "Cocoa and cocoa preparations",
     "chocolate (C1073); cocoa beans 1801 go to AGR by override"},
    {19, "FOOD", "mapped", "Preparations of cereals, flour, starch or milk; pastrycooks' products",
     ""},
    {20, "FOOD", "mapped", "Preparations of vegetables, fruit, nuts or other parts of plants", ""},
    {21, "FOOD", "mapped", "Miscellaneous edible preparations", ""},
    {22, "FOOD", "mapped", "Beverages, spirits and vinegar", "C11"},
    {23, "FOOD", "mapped", "Residues and waste from the food industries; prepared animal fodder",
     "C1080"},
    {24, "FOOD", "mapped", "Tobacco and manufactured tobacco substitutes",
     "manufactured tobacco (C12); leaf tobacco 2401 goes to AGR by override"},
    {25, "MIN", "mapped", "Salt; sulphur; earths and stone; plastering materials, lime and cement",
     "quarrying (B08); lime 2522 and cement 2523 go to CHEM by override"},
    {26, "MIN", "mapped", "Ores, slag and ash", "B07"},
    {27, "MIN", "mapped",
     "Mineral fuels, mineral oils and products of their distillation; bituminous substances; "
     "mineral waxes",
     MIXED "; crude oil 2709, natural gas and LPG 2711 and coal 2701 (B05-B06) dominate; "
     "refined products 2704-2708, 2710, 2712, 2713, 2715 go to CHEM and electricity 2716 to "
     "SERV by override"},
    {28, "CHEM", "mapped",
     "Inorganic chemicals; compounds of precious metals, rare-earth metals, radioactive elements",
     ""},
    {29, "CHEM", "mapped", "Organic chemicals", ""},
    {30, "CHEM", "mapped", "Pharmaceutical products", "C21"},
    {31, "CHEM", "mapped", "Fertilisers", ""},
    {32, "CHEM", "mapped",
     "Tanning or dyeing extracts; dyes, pigments, paints and varnishes; putty; inks", ""},
    {33, "CHEM", "mapped",
     "Essential oils and resinoids; perfumery, cosmetic or toilet preparations", ""},
    {34, "CHEM", "mapped",
     "Soap, washing and lubricating preparations, waxes, candles, modelling pastes", ""},
    {35, "CHEM", "mapped", "Albuminoidal substances; modified starches; glues; enzymes", ""},
    {36, "CHEM", "mapped", "Explosives; pyrotechnic products; matches; pyrophoric alloys", ""},
    {37, "CHEM", "mapped", "Photographic or cinematographic goods", ""},
    {38, "CHEM", "mapped", "Miscellaneous chemical products", ""},
    {39, "CHEM", "mapped", "Plastics and articles thereof", "C2220"},
    {40, "CHEM", "mapped", "Rubber and articles thereof", "C2211-C2219"},
    {41, "TEX", "mapped", "Raw hides and skins (other than furskins) and leather",
     "tanned leather (C1511); raw hides 4101-4103 go to FOOD by override"},
    {42, "TEX", "mapped", "Articles of leather; saddlery and harness; travel goods, handbags",
     "C1512"},
    {43, "TEX", "mapped", "Furskins and artificial fur; manufactures thereof",
     "C1420, C1511; raw furskins 4301 go to AGR by override"},
    {44, "OMAN", "mapped", "Wood and articles of wood; wood charcoal",
     "sawn wood and wood products (C16); logs 4403 go to AGR by override"},
    {45, "OMAN", "mapped", "Cork and articles of cork", "C1629"},
    {46, "OMAN", "mapped", "Manufactures of straw, esparto or other plaiting materials; "
                           "basketware and wickerwork", "C1629"},
    {47, "OMAN", "mapped", "Pulp of wood; recovered (waste and scrap) paper or paperboard",
     "C1701"},
    {48, "OMAN", "mapped", "Paper and paperboard; articles of paper pulp, paper or paperboard",
     "C17"},
    {49, "OMAN", "mapped", "Printed books, newspapers, pictures; manuscripts, typescripts, plans",
     "C18 (and J58 publishing)"},
    {50, "TEX", "mapped", "Silk", ""},
    {51, "TEX", "mapped", "Wool, fine or coarse animal hair; horsehair yarn and woven fabric",
     ""},
    {52, "TEX", "mapped", "Cotton",
     "yarn and fabric (C1311-C1312); raw cotton 5201 goes to AGR by override"},
    {53, "TEX", "mapped", "Other vegetable textile fibres; paper yarn and woven fabrics", ""},
    {54, "TEX", "mapped", "Man-made filaments", "C1311-C1312 (fibres themselves are C2030)"},
    {55, "TEX", "mapped", "Man-made staple fibres", "as 54"},
    {56, "TEX", "mapped", "Wadding, felt and nonwovens; special yarns; twine, cordage, ropes", ""},
    {57, "TEX", "mapped", "Carpets and other textile floor coverings", ""},
    {58, "TEX", "mapped", "Special woven fabrics; tufted fabrics; lace; tapestries; embroidery",
     ""},
    {59, "TEX", "mapped", "Impregnated, coated, covered or laminated textile fabrics", ""},
    {60, "TEX", "mapped", "Knitted or crocheted fabrics", ""},
    {61, "TEX", "mapped", "Articles of apparel and clothing accessories, knitted or crocheted",
     ""},
    {62, "TEX", "mapped", "Articles of apparel and clothing accessories, not knitted or crocheted",
     ""},
    {63, "TEX", "mapped", "Other made-up textile articles; sets; worn clothing; rags", ""},
    {64, "TEX", "mapped", "Footwear, gaiters and the like; parts of such articles", "C1520"},
    {65, "TEX", "mapped", "Headgear and parts thereof", "C1410"},
    {66, "OMAN", "mapped", "Umbrellas, sun umbrellas, walking sticks, seat-sticks, whips",
     "C3290"},
    {67, "OMAN", "mapped", "Prepared feathers and down; artificial flowers; articles of human hair",
     "C3290"},
    {68, "CHEM", "mapped",
     "Articles of stone, plaster, cement, asbestos, mica or similar materials",
     "non-metallic mineral products (C23)"},
    {69, "CHEM", "mapped", "Ceramic products", "C2391-C2393"},
    {70, "CHEM", "mapped", "Glass and glassware", "C2310"},
    {71, "OMAN", "mapped",
     "Natural or cultured pearls, precious or semi-precious stones, precious metals; imitation "
     "jewellery; coin",
     MIXED "; jewellery, cut stones and coin (C3211-C3212) stay here; unwrought and "
     "semi-manufactured precious metals 7106-7112 go to MET by override"},
    {72, "MET", "mapped", "Iron and steel", "C2410"},
    {73, "MET", "mapped", "Articles of iron or steel", "C25"},
    {74, "MET", "mapped", "Copper and articles thereof", ""},
    {75, "MET", "mapped", "Nickel and articles thereof", ""},
    {76, "MET", "mapped", "Aluminium and articles thereof", ""},
    {77, NULL, "reserved", "(reserved for possible future use in the HS)",
     "no products are classified in chapter 77"},
    {78, "MET", "mapped", "Lead and articles thereof", ""},
    {79, "MET", "mapped", "Zinc and articles thereof", ""},
    {80, "MET", "mapped", "Tin and articles thereof", ""},
    {81, "MET", "mapped", "Other base metals; cermets; articles thereof", ""},
    {82, "MET", "mapped", "Tools, implements, cutlery, spoons and forks, of base metal", "C2593"},
    {83, "MET", "mapped", "Miscellaneous articles of base metal", "C2599"},
    {84, "MACH", "mapped",
     "Nuclear reactors, boilers, machinery and mechanical appliances; computers; parts",
     "C28 and computers C2620"},
    {85, "MACH", "mapped",
     "Electrical machinery and equipment; sound and television recorders and reproducers; parts",
     "C26-C27"},
    {86, "TRAN", "mapped", "Railway or tramway locomotives, rolling stock and track fixtures;"
                           " traffic signalling equipment", "C3020"},
    {87, "TRAN", "mapped", "Vehicles other than railway or tramway rolling stock; parts",
     "C29, C3091-C3092"},
    {88, "TRAN", "mapped", "Aircraft, spacecraft, and parts thereof", "C3030"},
    {89, "TRAN", "mapped", "Ships, boats and floating structures", "C3011-C3012"},
    {90, "MACH", "mapped",
     "Optical, photographic, cinematographic, measuring, checking, precision, medical or surgical "
     "instruments; parts",
     MIXED "; optical, measuring and electromedical instruments (C2651, C2660, C2670) stay "
     "here; medical and orthopaedic instruments 9018-9021 go to OMAN (C3250) by override"},
    {91, "MACH", "mapped", "Clocks and watches and parts thereof",
     "ISIC C2652 (watches and clocks) is in C26"},
    {92, "OMAN", "mapped", "Musical instruments; parts and accessories", "C3220"},
    {93, "MET", "mapped", "Arms and ammunition; parts and accessories",
     "ISIC C2520 (weapons and ammunition) is in C25; military vehicles are 8710 (TRAN)"},
    {94, "OMAN", "mapped",
     "Furniture; bedding; lamps and lighting fittings n.e.s.; illuminated signs; prefabricated "
     "buildings",
     "furniture (C31) dominates; lamps 9405 go to MACH (C2740) by override"},
    {95, "OMAN", "mapped", "Toys, games and sports requisites; parts and accessories",
     "C3230-C3240"},
    {96, "OMAN", "mapped", "Miscellaneous manufactured articles", "C3290"},
    {97, "OMAN", "mapped", "Works of art, collectors' pieces and antiques",
     "not produced by a goods industry; the residual goods sector"},
    {98, NULL, "national", "(national use: special provisions, not part of the HS)",
     "China: lines specified at chapter level only; US: special classification provisions"},
    {99, NULL, "national", "(national use: temporary legislation and additional duties)",
     "US HTS chapter 99 carries the Section 301/232 headings, not products"},
};

static const struct tw_concord_hs4 hs4[] = {
    {"0407", "AGR", "Birds' eggs, in shell", "A0146 (NAICS 112)"},
    {"0409", "AGR", "Natural honey", "A0149 (NAICS 112)"},
    {"1801", "AGR", "Cocoa beans, whole or broken, raw or roasted", "A0127 (NAICS 111)"},
    {"2401", "AGR", "Unmanufactured tobacco; tobacco refuse", "A0115 (NAICS 111)"},
    {"2522", "CHEM", "Quicklime, slaked lime and hydraulic lime", "C2394 (NAICS 327)"},
    {"2523", "CHEM", "Portland cement, aluminous cement and similar hydraulic cements",
     "C2394 (NAICS 327)"},
    {"2704", "CHEM", "Coke and semi-coke of coal, lignite or peat", "C1910 (NAICS 324)"},
    {"2706", "CHEM", "Tar distilled from coal, lignite or peat", "C1910 (NAICS 324)"},
    {"2707", "CHEM", "Oils and products of the distillation of high temperature coal tar",
     "C1910/C2011 (NAICS 324-325)"},
    {"2708", "CHEM", "Pitch and pitch coke from coal tar", "C1910 (NAICS 324)"},
    {"2710", "CHEM", "Petroleum oils, other than crude (refined products)", "C1920 (NAICS 324)"},
    {"2712", "CHEM", "Petroleum jelly; paraffin wax and other mineral waxes", "C1920 (NAICS 324)"},
    {"2713", "CHEM", "Petroleum coke, petroleum bitumen and other residues of petroleum oils",
     "C1920 (NAICS 324)"},
    {"2715", "CHEM", "Bituminous mixtures based on natural asphalt or petroleum bitumen",
     "C1920 (NAICS 324)"},
    {"2716", "SERV", "Electrical energy", "D3510 (utilities)"},
    {"4101", "FOOD", "Raw hides and skins of bovine or equine animals",
     "slaughterhouse by-product, C1010 (NAICS 311)"},
    {"4102", "FOOD", "Raw skins of sheep or lambs", "C1010 (NAICS 311)"},
    {"4103", "FOOD", "Other raw hides and skins", "C1010 (NAICS 311)"},
    {"4301", "AGR", "Raw furskins", "A0149/A0170 (NAICS 112, 114)"},
    {"4403", "AGR", "Wood in the rough (logs)", "A0220 logging (NAICS 113)"},
    {"5201", "AGR", "Cotton, not carded or combed (raw cotton)", "A0116 (NAICS 111)"},
    {"7106", "MET", "Silver, unwrought, semi-manufactured or in powder form", "C2420 (NAICS 331)"},
    {"7107", "MET", "Base metals clad with silver", "C2420 (NAICS 331)"},
    {"7108", "MET", "Gold, unwrought, semi-manufactured or in powder form", "C2420 (NAICS 331)"},
    {"7109", "MET", "Base metals or silver, clad with gold", "C2420 (NAICS 331)"},
    {"7110", "MET", "Platinum, unwrought, semi-manufactured or in powder form",
     "C2420 (NAICS 331)"},
    {"7111", "MET", "Base metals, silver or gold, clad with platinum", "C2420 (NAICS 331)"},
    {"7112", "MET", "Waste and scrap of precious metal", "recovered for C2420"},
    {"9018", "OMAN", "Medical, surgical, dental or veterinary instruments and appliances",
     "C3250 (NAICS 339)"},
    {"9019", "OMAN", "Mechano-therapy, massage, ozone and respiration therapy appliances",
     "C3250 (NAICS 339)"},
    {"9020", "OMAN", "Other breathing appliances and gas masks", "C3250 (NAICS 339)"},
    {"9021", "OMAN", "Orthopaedic appliances; artificial parts of the body; hearing aids",
     "C3250 (NAICS 339)"},
    {"9405", "MACH", "Lamps and lighting fittings n.e.s.; illuminated signs",
     "C2740 (NAICS 335)"},
};

static const struct tw_concord_naics3 naics3[] = {
    {"111", "AGR", "Crop production", ""},
    {"112", "AGR", "Animal production and aquaculture", ""},
    {"113", "AGR", "Forestry and logging", ""},
    {"114", "AGR", "Fishing, hunting and trapping", ""},
    {"211", "MIN", "Oil and gas extraction", "crude oil and natural gas (B06)"},
    {"212", "MIN", "Mining (except oil and gas)", ""},
    {"311", "FOOD", "Food manufacturing", ""},
    {"312", "FOOD", "Beverage and tobacco product manufacturing", ""},
    {"313", "TEX", "Textile mills", ""},
    {"314", "TEX", "Textile product mills", ""},
    {"315", "TEX", "Apparel manufacturing", ""},
    {"316", "TEX", "Leather and allied product manufacturing", "incl. footwear"},
    {"321", "OMAN", "Wood product manufacturing", "C16"},
    {"322", "OMAN", "Paper manufacturing", "C17"},
    {"323", "OMAN", "Printing and related support activities", "C18"},
    {"324", "CHEM", "Petroleum and coal products manufacturing", "refined products (C19)"},
    {"325", "CHEM", "Chemical manufacturing", "incl. pharmaceuticals"},
    {"326", "CHEM", "Plastics and rubber products manufacturing", ""},
    {"327", "CHEM", "Nonmetallic mineral product manufacturing", "C23"},
    {"331", "MET", "Primary metal manufacturing", ""},
    {"332", "MET", "Fabricated metal product manufacturing", "incl. weapons and ammunition"},
    {"333", "MACH", "Machinery manufacturing", ""},
    {"334", "MACH", "Computer and electronic product manufacturing", ""},
    {"335", "MACH", "Electrical equipment, appliance and component manufacturing", ""},
    {"336", "TRAN", "Transportation equipment manufacturing", ""},
    {"337", "OMAN", "Furniture and related product manufacturing", "C31"},
    {"339", "OMAN", "Miscellaneous manufacturing",
     "medical equipment and supplies, jewellery, toys, sporting goods (C32)"},
    {"910", NULL, "Waste and scrap",
     "Census special code: scrap of many materials (metal, paper, plastics), no single sector; "
     "excluded"},
    {"930", NULL, "Used or second-hand merchandise",
     "Census special code: used goods of any kind; excluded"},
    {"980", NULL, "Goods returned (exports for Canada only); US goods returned and reimported",
     "Census special code, not a product; excluded"},
    {"990", NULL, "Other special classification provisions",
     "Census special code (low-value and special entries); excluded"},
};

const struct tw_concord_sector *tw_concord_sectors(void) { return sectors; }

bool tw_concord_find_sector(const char *code, size_t *s)
{
    if (code == NULL)
        return false;
    for (size_t k = 0; k < TW_CONCORD_N_SECTOR; k++)
        if (strcmp(sectors[k].code, code) == 0) {
            if (s != NULL)
                *s = k;
            return true;
        }
    return false;
}

const struct tw_concord_hs2 *tw_concord_hs2_table(size_t *n)
{
    *n = sizeof hs2 / sizeof hs2[0];
    return hs2;
}

const struct tw_concord_hs4 *tw_concord_hs4_table(size_t *n)
{
    *n = sizeof hs4 / sizeof hs4[0];
    return hs4;
}

const struct tw_concord_naics3 *tw_concord_naics3_table(size_t *n)
{
    *n = sizeof naics3 / sizeof naics3[0];
    return naics3;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Map a sector code from a table to its index; a table bug if absent. */
static enum tw_concord_match sector_of(const char *code, size_t *s)
{
    if (code == NULL)
        return TW_CONCORD_EXCLUDED;
    size_t k = 0;
    if (!tw_concord_find_sector(code, &k)) {
        TW_ASSERT(0); /* a table row names an unknown sector: a bug in this file */
        return TW_CONCORD_UNKNOWN;
    }
    if (s != NULL)
        *s = k;
    return TW_CONCORD_MAPPED;
}

enum tw_concord_match tw_concord_hs(const char *code, size_t *s)
{
    if (code == NULL || !is_digit(code[0]) || !is_digit(code[1]))
        return TW_CONCORD_UNKNOWN;
    unsigned chapter = (unsigned)(code[0] - '0') * 10u + (unsigned)(code[1] - '0');
    if (chapter < 1 || chapter > 99)
        return TW_CONCORD_UNKNOWN;
    if (is_digit(code[2]) && is_digit(code[3])) {
        for (size_t k = 0; k < sizeof hs4 / sizeof hs4[0]; k++)
            if (memcmp(hs4[k].heading, code, 4) == 0)
                return sector_of(hs4[k].sector, s);
    }
    TW_ASSERT(hs2[chapter - 1].chapter == chapter);
    return sector_of(hs2[chapter - 1].sector, s);
}

enum tw_concord_match tw_concord_naics(const char *code, size_t *s)
{
    if (code == NULL)
        return TW_CONCORD_UNKNOWN;
    for (size_t k = 0; k < sizeof naics3 / sizeof naics3[0]; k++)
        if (strcmp(naics3[k].code, code) == 0)
            return sector_of(naics3[k].sector, s);
    return TW_CONCORD_UNKNOWN;
}

/* ---- CSV form ------------------------------------------------------------------------- */

static const char *const table_names[] = {"sectors", "hs2_to_sector", "hs4_overrides",
                                          "naics3_to_sector", NULL};

const char *const *tw_concord_names(void) { return table_names; }

/* Write cells separated by commas and a final LF; returns 0 or EOF. */
static int put_row(FILE *out, const char *const *cells, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && fputc(',', out) == EOF)
            return EOF;
        if (tw_csv_put_text(out, cells[k] ? cells[k] : "") == EOF)
            return EOF;
    }
    return fputc('\n', out) == EOF ? EOF : 0;
}

static int write_sectors(FILE *out)
{
    static const char *const head[] = {"sector", "name", "isic_rev4"};
    int rc = put_row(out, head, 3);
    for (size_t k = 0; k < TW_CONCORD_N_SECTOR && rc == 0; k++) {
        const char *cells[3] = {sectors[k].code, sectors[k].name, sectors[k].isic};
        rc = put_row(out, cells, 3);
    }
    return rc;
}

static int write_hs2(FILE *out)
{
    static const char *const head[] = {"hs2", "sector", "status", "description", "note"};
    int rc = put_row(out, head, 5);
    for (size_t k = 0; k < sizeof hs2 / sizeof hs2[0] && rc == 0; k++) {
        char code[4];
        snprintf(code, sizeof code, "%02u", hs2[k].chapter % 100u);
        const char *cells[5] = {code, hs2[k].sector, hs2[k].status, hs2[k].description,
                                hs2[k].note};
        rc = put_row(out, cells, 5);
    }
    return rc;
}

static int write_hs4(FILE *out)
{
    static const char *const head[] = {"hs4", "sector", "chapter_sector", "description", "note"};
    int rc = put_row(out, head, 5);
    for (size_t k = 0; k < sizeof hs4 / sizeof hs4[0] && rc == 0; k++) {
        unsigned ch = (unsigned)(hs4[k].heading[0] - '0') * 10u +
                      (unsigned)(hs4[k].heading[1] - '0');
        const char *cells[5] = {hs4[k].heading, hs4[k].sector, hs2[ch - 1].sector,
                                hs4[k].description, hs4[k].note};
        rc = put_row(out, cells, 5);
    }
    return rc;
}

static int write_naics(FILE *out)
{
    static const char *const head[] = {"naics3", "sector", "status", "description", "note"};
    int rc = put_row(out, head, 5);
    for (size_t k = 0; k < sizeof naics3 / sizeof naics3[0] && rc == 0; k++) {
        const char *cells[5] = {naics3[k].code, naics3[k].sector,
                                naics3[k].sector ? "mapped" : "excluded",
                                naics3[k].description, naics3[k].note};
        rc = put_row(out, cells, 5);
    }
    return rc;
}

tw_status tw_concord_write(const char *name, FILE *out, tw_err *err)
{
    if (name == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "concord: table name and output stream are required");
    int rc;
    if (strcmp(name, "sectors") == 0)
        rc = write_sectors(out);
    else if (strcmp(name, "hs2_to_sector") == 0)
        rc = write_hs2(out);
    else if (strcmp(name, "hs4_overrides") == 0)
        rc = write_hs4(out);
    else if (strcmp(name, "naics3_to_sector") == 0)
        rc = write_naics(out);
    else
        return tw_err_set(err, TW_EINVAL, "concord: unknown table \"%.64s\", expected sectors, "
                          "hs2_to_sector, hs4_overrides or naics3_to_sector", name);
    if (rc != 0 || fflush(out) != 0 || ferror(out))
        return tw_err_set(err, TW_EIO, "concord: writing table %s failed", name);
    return TW_OK;
}
