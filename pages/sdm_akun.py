"""Akun Pengguna (Admin SDM): find accounts, reset passwords, unlock, (de)activate, assign roles, and
create accounts for pegawai who have none."""

import pandas as pd
import streamlit as st

from services.auth import accounts
from services.auth import login as auth_service
from services.core import ASSIGNABLE_ROLES, Role, fmt
from ui.actions import act
from ui.guard import page_actor
from ui.pager import pager
from ui.text import md
from ui.theme import ROLE_LABELS

actor = page_actor(__file__)
PAGE_SIZE = 300  # rows per page (the pager shows the rest)

FLASH = "_akun_flash"
BULK = "_akun_bulk"


def _flash(kind: str, text: str, code: str | None = None) -> None:
    st.session_state[FLASH] = (kind, text, code)


def _run(action, *args, ok: str) -> None:
    """Button callback: call a service; the outcome (with a temporary password to show once) is kept for the
    render that follows."""
    act(lambda: action(*args), later=True,
        then=lambda result: _flash("success", ok, result if isinstance(result, str) else None))


def _set_roles(user_id: int, key: str) -> None:
    chosen = [Role(v) for v in st.session_state.get(key, [])]
    _run(auth_service.set_roles, actor, user_id, chosen, ok="Peran akun disimpan.")


def _create_missing() -> None:
    created = act(lambda: accounts.create_missing_accounts(actor), later=True)
    if created is None:
        return
    st.session_state[BULK] = created
    _flash("success", f"{len(created)} akun baru dibuat." if created else "Tidak ada akun baru yang perlu dibuat.")


st.title("Akun Pengguna")
st.caption(
    "Akun pegawai memakai NIP sebagai nama pengguna. Peran Pegawai, Pejabat Penilai, Atasan Pejabat Penilai, dan "
    "Pemberi Pertimbangan berasal dari data hubungan penilaian; di sini hanya peran tambahan yang ditetapkan."
)

flash = st.session_state.pop(FLASH, None)
if flash:
    kind, text, code = flash
    (st.success if kind == "success" else st.error)(text)
    if code:
        st.markdown("**Kata sandi sementara** (hanya ditampilkan sekali; sampaikan kepada pemilik akun):")
        st.code(code, language=None)

# --- filters and table -----------------------------------------------------------------------------
f1, f2, f3 = st.columns([3, 2, 2])
text = f1.text_input("Cari nama, NIP, atau nama pengguna", key="akun_cari")
status = f2.selectbox("Status", accounts.STATUS_FILTERS, key="akun_status")
role_options = [None, *[r.value for r in ASSIGNABLE_ROLES]]
role = f3.selectbox("Peran tambahan", role_options, key="akun_peran",
                    format_func=lambda v: "Semua" if v is None else ROLE_LABELS[v])

total = accounts.count_accounts(actor, text=text, status=status, role=role)
page = pager("akun", total=total, size=PAGE_SIZE, label="akun")
df = accounts.search_accounts(actor, text=text, status=status, role=role, limit=page.limit, offset=page.offset)
if df.empty:
    st.info("Tidak ada akun yang cocok dengan filter.")
    shown = df
else:
    shown = df.copy()
    shown["peran"] = shown["peran"].map(
        lambda v: ", ".join(ROLE_LABELS.get(r, r) for r in v.split(", ")) if v and v != "-" else "-")
    shown["login_terakhir"] = shown["login_terakhir"].map(lambda v: "-" if pd.isna(v) else fmt.waktu(pd.Timestamp(v).to_pydatetime()))
st.caption(f"{fmt.angka(len(df))} akun ditampilkan" + (f" dari {fmt.angka(total)}." if total > len(df) else "."))
selection = st.dataframe(
    shown, key="akun_tabel" + (f"_h{page.number}" if page.number > 1 else ""), hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    column_order=("nama_pengguna", "nama", "nip", "peran", "aktif", "terkunci", "wajib_ganti_sandi",
                  "gagal_login", "login_terakhir"),
    column_config={
        "nama_pengguna": "Nama pengguna", "nama": "Nama", "nip": "NIP", "peran": "Peran tambahan",
        "aktif": st.column_config.CheckboxColumn("Aktif"), "terkunci": st.column_config.CheckboxColumn("Terkunci"),
        "wajib_ganti_sandi": st.column_config.CheckboxColumn("Wajib ganti sandi"),
        "gagal_login": st.column_config.NumberColumn("Gagal login"), "login_terakhir": "Login terakhir",
    }, placeholder=""
)

rows = selection.selection.rows if selection and hasattr(selection, "selection") else []
if rows and rows[0] < len(df):
    acc = df.iloc[rows[0]]
    uid = int(acc["id"])
    with st.container(border=True):
        st.subheader(str(acc["nama"]))
        st.markdown(
            f"**Nama pengguna:** {md(acc['nama_pengguna'])}  \n"
            f"**Status:** {md('aktif' if acc['aktif'] else 'nonaktif')}"
            + (" · **terkunci**" if acc["terkunci"] else "")
            + (" · wajib ganti kata sandi" if acc["wajib_ganti_sandi"] else "")
        )
        b1, b2, b3 = st.columns(3)
        b1.button("Reset kata sandi", key=f"reset_{uid}", icon=":material/lock_reset:",
                  on_click=_run, args=(auth_service.reset_password, actor, uid),
                  kwargs={"ok": f"Kata sandi {md(acc['nama_pengguna'])} direset; sesi lamanya diakhiri."})
        b2.button("Buka kunci", key=f"unlock_{uid}", icon=":material/lock_open:", disabled=not acc["terkunci"],
                  on_click=_run, args=(auth_service.unlock, actor, uid),
                  kwargs={"ok": f"Akun {md(acc['nama_pengguna'])} dibuka kuncinya."})
        if acc["aktif"]:
            b3.button("Nonaktifkan", key=f"off_{uid}", icon=":material/person_off:",
                      on_click=_run, args=(auth_service.set_active, actor, uid, False),
                      kwargs={"ok": f"Akun {md(acc['nama_pengguna'])} dinonaktifkan."})
        else:
            b3.button("Aktifkan", key=f"on_{uid}", icon=":material/person_check:",
                      on_click=_run, args=(auth_service.set_active, actor, uid, True),
                      kwargs={"ok": f"Akun {md(acc['nama_pengguna'])} diaktifkan."})

        role_key = f"peran_{uid}"
        current = [r.value for r in accounts.assigned_roles(actor, uid)]
        st.multiselect("Peran tambahan", [r.value for r in ASSIGNABLE_ROLES], default=current, key=role_key,
                       format_func=lambda v: ROLE_LABELS[v])
        st.button("Simpan peran", key=f"simpan_peran_{uid}", on_click=_set_roles, args=(uid, role_key))
else:
    st.caption("Pilih satu akun pada tabel untuk mereset kata sandi, membuka kunci, atau mengubah peran.")

# --- accounts for pegawai without one --------------------------------------------------------------
st.subheader("Akun untuk pegawai baru")
missing = accounts.pegawai_without_account(actor)
if missing.empty:
    st.caption("Semua pegawai aktif sudah memiliki akun.")
else:
    st.markdown(f"{len(missing)} pegawai aktif belum memiliki akun.")
    with st.expander("Lihat daftar"):
        st.dataframe(missing[["nip", "nama"]], hide_index=True, width="stretch",
                     column_config={"nip": "NIP", "nama": "Nama"}, placeholder="")
    st.button(f"Buat {len(missing)} akun", key="buat_akun", type="primary", icon=":material/person_add:",
              on_click=_create_missing)

created = st.session_state.get(BULK)
if created:
    with st.container(border=True):
        st.markdown("**Kata sandi sementara akun baru.** Unduh dan bagikan kepada masing-masing pegawai; "
                    "daftar ini tidak dapat ditampilkan lagi setelah ditutup.")
        st.dataframe(accounts.temp_passwords_frame(created), hide_index=True, width="stretch", placeholder="")
        d1, d2, d3 = st.columns(3)
        d1.download_button("Unduh CSV", accounts.temp_passwords_csv(created), file_name="kata_sandi_sementara.csv",
                           mime="text/csv", icon=":material/download:", on_click="ignore")
        d2.download_button("Unduh Excel", accounts.temp_passwords_excel(created),
                           file_name="kata_sandi_sementara.xlsx", icon=":material/download:", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        if d3.button("Tutup daftar", key="tutup_bulk"):
            st.session_state.pop(BULK, None)
            st.rerun()
