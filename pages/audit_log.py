"""Log Audit (Admin SDM): who changed what and when, with the data before and after."""

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from services.core import audit, clock, export, fmt
from ui.guard import page_actor
from ui.pager import caption_open_ended, pager
from ui.text import md

actor = page_actor(__file__)

ALL = "(semua)"

st.title("Log Audit")
st.caption("Setiap perubahan data, login, dan ekspor tercatat di sini. Pilih satu baris untuk melihat data "
           "sebelum dan sesudah perubahan.")

facets = audit.facets(actor)
with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    user = c1.text_input("Pengguna (nama pengguna atau NIP)", key="audit_pengguna").strip() or ALL
    action = c2.selectbox("Aksi", [ALL, *facets["action"]], key="audit_aksi",
                          format_func=lambda a: a if a == ALL else audit.action_label(a))
    entity = c3.selectbox("Data", [ALL, *facets["entity"]], key="audit_entitas",
                          format_func=lambda e: e if e == ALL else audit.entity_label(e))
    c4, c5, c6 = st.columns([2, 3, 1])
    today = clock.today()
    span = c4.date_input("Rentang tanggal", (today - dt.timedelta(days=30), today), format="DD/MM/YYYY",
                         key="audit_tanggal")
    text = c5.text_input("Cari (ID data, catatan, pengguna)", key="audit_cari")
    limit = c6.selectbox("Baris per halaman", [500, 1000, 5000], key="audit_batas")

dates = list(span) if isinstance(span, tuple | list) else [span]
date_from = dates[0] if dates else None
date_to = dates[1] if len(dates) > 1 else date_from
flt = audit.AuditFilter(
    username=None if user == ALL else user, action=None if action == ALL else action,
    entity=None if entity == ALL else entity, text=text.strip() or None,
    date_from=date_from, date_to=date_to, limit=int(limit) + 1,
)
page = pager("audit", total=None, size=int(limit))
flt = dataclasses.replace(flt, offset=page.offset)
df = audit.search(actor, flt)
more = len(df) > page.limit
df = df.iloc[:page.limit]
caption_open_ended(page, len(df), more)

if df.empty:
    st.info("Tidak ada catatan audit untuk filter ini.")
else:
    shown = df.drop(columns=["sebelum", "sesudah"])
    shown["waktu"] = df["waktu"].map(lambda v: "-" if pd.isna(v) else fmt.waktu(pd.Timestamp(v).to_pydatetime()))
    shown["aksi"] = df["aksi"].map(audit.action_label)
    shown["entitas"] = df["entitas"].map(audit.entity_label)
    sel = st.dataframe(
        shown, key="audit_tabel", hide_index=True, width="stretch", on_select="rerun",
        selection_mode="single-row",
        column_config={"waktu": "Waktu", "pengguna": "Pengguna", "aksi": "Aksi", "entitas": "Data",
                       "id": "ID data", "catatan": "Catatan"}, placeholder=""
    )
    rows = sel.selection.rows if sel and hasattr(sel, "selection") else []
    if rows and rows[0] < len(df):
        row = df.iloc[rows[0]]
        with st.container(border=True):
            st.markdown(f"**{md(audit.action_label(row['aksi']))}** · {md(audit.entity_label(row['entitas']))} "
                        f"{md(row['id'] or '')} · oleh {md(row['pengguna'])} · {md(shown.iloc[rows[0]]['waktu'])}")
            if row.get("catatan"):
                st.caption(md(row["catatan"]))
            left, right = st.columns(2)
            with left:
                st.markdown("**Sebelum**")
                if isinstance(row["sebelum"], dict) and row["sebelum"]:
                    st.json(audit.readable(row["sebelum"]))
                else:
                    st.caption("(tidak ada)")
            with right:
                st.markdown("**Sesudah**")
                if isinstance(row["sesudah"], dict) and row["sesudah"]:
                    st.json(audit.readable(row["sesudah"]))
                else:
                    st.caption("(tidak ada)")

    excel = df.assign(aksi=shown["aksi"], entitas=shown["entitas"]).rename(columns={"waktu": "Waktu", "pengguna": "Pengguna", "aksi": "Aksi", "entitas": "Data",
                               "id": "ID Data", "sebelum": "Sebelum", "sesudah": "Sesudah", "catatan": "Catatan"})
    st.download_button(
        "Ekspor ke Excel", export.to_excel_bytes({"Log audit": excel}),
        file_name=f"log_audit_{today:%Y%m%d}.xlsx", icon=":material/download:", key="audit_ekspor",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click=export.record_export, args=(actor, "AuditLog", len(df)),
    )
