/** The buttons of the visitor's views (chat pop-up, co-browse start view): one look, one place. */
import { css } from 'lit';

export const buttonStyles = css`button{font:inherit;min-block-size:44px;padding:8px 16px;border-radius:8px;cursor:pointer}
.primary{border:2px solid transparent;background:var(--lotse-accent,#00594f);color:var(--lotse-accent-contrast,#fff);font-weight:600}
.primary:disabled{background:#dde1e3;color:#4d4d4d;cursor:not-allowed}
.secondary{border:1px solid #4d4d4d;background:#fff;color:#1a1a1a}`;
