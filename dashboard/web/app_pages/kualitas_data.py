"""Kualitas data: what became of every row of every file, rejects with reasons, and upload."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ingest import KINDS
from dashboard.store import large_campaign
from dashboard.web import ui

language = ui.page("page.data_quality", "ui.data_quality_caption")
st.caption(t("ui.rules_note", language))

with st.expander(t("ui.upload_title", language), expanded=ui.table("data_quality").empty):
    kind = st.selectbox(t("ui.upload_kind", language), ("auto",) + KINDS,
                        format_func=lambda k: t(f"ui.kind_{k}", language), key="upload_kind")
    files = st.file_uploader(t("ui.upload_files", language), accept_multiple_files=True,
                             type=["csv", "gz", "jsonl", "tsv", "txt"], key="upload")
    ui.uploader_note()
    if files and st.button(t("ui.upload_load", language), type="primary"):
        ui.load_uploads(files, None if kind == "auto" else kind)

log = ui.table("data_quality")
if log.empty:
    st.info(t("empty.no_receipts", language))
    st.stop()

loaded = log[log["outcome"] == "loaded"]
tiles = [*st.columns(3), *st.columns(3)]  # counts in the millions stay whole
for tile, column in zip(tiles, ("rows_read", "loaded", "duplicate", "superseded", "rejected",
                                "warnings"), strict=True):
    tile.metric(t(f"ui.{column}", language), ui.number(loaded[column].sum()))
if (loaded["rows_read"] != loaded[["loaded", "duplicate", "superseded", "rejected"]].sum(axis=1)
        ).any():
    st.error(t("ui.counts_do_not_add_up", language))
else:
    st.caption(t("ui.counts_add_up", language))

st.subheader(t("ui.ingest_log", language))
# large-campaign mode: the receipts files were read by the cluster; their accounting is in the
# log only when it was attached with the rollups
ACCOUNTED = ("ui.large_campaign.data_quality_attached" if (log["kind"] == "receipts").any()
             else "ui.large_campaign.data_quality")
if raw_needed := large_campaign.note(ui.cursor(), ACCOUNTED, language):
    st.info(raw_needed)
ui.show_table(log)
ui.download(log, "data_quality")

st.subheader(t("ui.reject_reasons", language))
reasons = ui.query("marts/reject_reasons")
ui.show_table(reasons)

st.subheader(t("ui.rejects", language))
choices = {None: t("ui.all_files", language)} | dict(zip(log["ingest_id"], log["file"],
                                                       strict=True))
chosen = st.selectbox(t("ui.file", language), list(choices), format_func=choices.get,
                      key="rejects_file")
rejects = ui.query("marts/rejects_recent", ingest_id=chosen, limit=1000)
st.caption(t("ui.rejects_note", language))
ui.show_table(rejects)
ui.download(rejects, "rejects")

missing = ui.query("marts/waves_missing")
if not missing.empty:
    st.subheader(t("ui.waves_missing", language))
    st.caption(t("ui.waves_missing_note", language))
    ui.show_table(missing)

st.subheader(t("ui.warnings", language))
st.caption(t("ui.warnings_note", language))
ui.show_table(ui.query("marts/warning_kinds"))
warnings = ui.query("marts/warnings_recent", ingest_id=chosen, limit=1000)
ui.show_table(warnings)
ui.download(warnings, "warnings")
