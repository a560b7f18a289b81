/**
 * The live region an island speaks through after an action: a confirmation or an error sentence.
 * It can take focus, so an error is read out and seen where the shopper's attention already is.
 */
import type { ComponentChildren, Ref } from "preact";

export type Notice = { kind: "ok" | "error"; text: string } | undefined;

interface Props {
  notice: Notice;
  noticeRef: Ref<HTMLDivElement>;
  children?: ComponentChildren;
}

export function NoticeBox({ notice, noticeRef, children }: Props) {
  const kind = notice?.kind === "error" ? " notice-error" : notice ? " notice-ok" : "";
  return (
    <div
      class={`notice${kind}`}
      role="status"
      aria-live="polite"
      tabIndex={-1}
      ref={noticeRef}
      data-testid="status-message"
    >
      {notice?.text}
      {children}
    </div>
  );
}
