// A large grade file (a district's export, over the API route's 512 KB, up to 10 MB)
// goes straight to S3: the API gives a presigned POST, the browser posts the file to the
// bucket, the bucket's event runs the import, and this page reads its progress (rows
// checked, rows written) until it is done or refused, then offers the per-row report.
import { api, download } from "./api.js";
import { showErrors } from "./forms.js";
import { t } from "./i18n.js";
import { h } from "./page.js";

/** Files up to this size go to the API route (the answer names each wrong line at once). */
export const API_ROUTE_MAX_BYTES = 512 * 1024;
/** How often the page asks for the import's progress. */
const POLL_MS = 1000;
const FINAL = new Set(["done", "refused", "failed"]);

function refused(message) {
  const error = new Error(message);
  error.status = 400;
  error.code = "grade_file_refused";
  error.errors = [];
  return error;
}

/** The S3 error document's code ("EntityTooLarge"), if the answer is one. */
async function s3Code(response) {
  try {
    const text = await response.text();
    return /<Code>([^<]+)<\/Code>/.exec(text)?.[1] || "";
  } catch {
    return "";
  }
}

/**
 * Upload `file` for the school at `schoolPath` and `year` through S3; calls
 * `progress(status)` each time the import's status is read. Resolves to the final
 * status (state "done", "refused", or "failed": it stopped before it was done).
 */
export async function importLargeFile(schoolPath, year, file, progress) {
  const started = await api(`${schoolPath}/grade-files`, { method: "POST", body: { school_year: year } });
  if (file.size > started.max_bytes) {
    throw refused(t("school.file_too_large", { mb: Math.floor(started.max_bytes / (1024 * 1024)) }));
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(started.fields)) form.append(name, value);
  form.append("file", new Blob([file], { type: started.content_type }), file.name);
  let response;
  try {
    response = await fetch(started.url, { method: "POST", body: form });
  } catch {
    throw refused(t("common.error_network"));
  }
  if (!response.ok) {
    const code = await s3Code(response);
    throw refused(code === "EntityTooLarge"
      ? t("school.file_too_large", { mb: Math.floor(started.max_bytes / (1024 * 1024)) })
      : t("school.file_upload_refused"));
  }
  const statusPath = `${schoolPath}/grade-files/${encodeURIComponent(started.import_id)}`;
  for (;;) {
    const status = await api(statusPath);
    progress(status);
    if (FINAL.has(status.state)) return { ...status, reportPath: `${statusPath}/report` };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The error a file that stopped before it was done shows: the server's words, as they come. */
export function failedFile(status) {
  return refused(status.message);
}

/** The words for an import's status, as it goes. */
export function progressText(status) {
  if (status.state === "waiting") return t("school.file_waiting");
  return t("school.file_progress", { checked: status.rows_checked.toLocaleString(), written: status.rows_written.toLocaleString() });
}

/** The error a refused file shows (the report says which rows and why). */
export function refusedFile(status) {
  return refused(t(status.rows_refused === 1 ? "school.file_refused_one" : "school.file_refused",
    { count: status.rows_refused }));
}

/** A button that downloads the import's per-row report as a CSV file (errors on `form`). */
export function reportButton(reportPath, form) {
  const button = h("button", { type: "button", class: "secondary", id: "grade-file-report" }, t("school.download_report"));
  button.addEventListener("click", async () => {
    try {
      const { blob, filename } = await download(reportPath);
      const url = URL.createObjectURL(blob);
      const link = h("a", { href: url, download: filename, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      showErrors(form, error);
    }
  });
  return button;
}
