// Where a reader finds the whole report when one format is cut to a size limit
// (Markdown in a pull-request comment): the other files the same command writes,
// and the page of the CI run that made them.
import type { ReporterOptions } from "./types.js";

/** The GitHub Actions run page, from the variables every Actions job has. */
export function githubRunUrl(env: Record<string, string | undefined>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server.replace(/\/+$/, "")}/${repo}/actions/runs/${run}` : undefined;
}

/** `fullReport` and `runUrl` for the reporter of `format` among all the outputs of one command. */
export function outputLinks(format: string, outputs: ReadonlyArray<{ format: string; output?: string }>, env: Record<string, string | undefined>): Pick<ReporterOptions, "fullReport" | "runUrl"> {
  // Markdown is the format that gets cut; every other format written to a file is whole.
  const files = outputs.filter((o) => o.format !== format && o.format !== "markdown" && o.output).map((o) => o.output as string);
  const runUrl = githubRunUrl(env);
  return { ...(files.length > 0 ? { fullReport: [...new Set(files)] } : {}), ...(runUrl ? { runUrl } : {}) };
}
