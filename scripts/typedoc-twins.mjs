// typedoc plugin: documents each `$` twin (`getSecret$`) from the mapped type `ObservableTwins`, which computes
// them from the async methods; JSDoc cannot sit on a computed key, so the reference says what the twin is.
import { Comment, Converter, ReflectionKind } from 'typedoc';

export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const twin of context.project.getReflectionsByKind(ReflectionKind.Property | ReflectionKind.Method)) {
      if (!twin.name.endsWith('$') || twin.comment || !twin.parent) continue;
      const base = twin.name.slice(0, -1);
      twin.comment = new Comment([{ kind: 'text', text: `The Observable twin of \`${base}\`: the same arguments, a cold Observable that starts the call on subscribe and aborts it on unsubscribe (a listing emits item by item, a poller each state).` }]);
    }
  });
}
