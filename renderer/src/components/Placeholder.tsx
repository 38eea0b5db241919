import type { ReactNode } from 'react';

/** A page whose feature lands in a later step: says plainly what will be here. */
export function Placeholder({ title, lead, items, children }: { title: string; lead: string; items: string[]; children?: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      <p className="lead">{lead}</p>
      <div className="card coming">
        <h2>Coming to this page</h2>
        <ul>
          {items.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      </div>
      {children}
    </section>
  );
}
