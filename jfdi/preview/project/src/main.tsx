import { StrictMode, type ComponentProps } from "react";
import { createRoot } from "react-dom/client";
import "./index.css";
{import}

// The component's props, if it takes any (the preview gave it empty samples): pass real data here.
const props = {} as ComponentProps<typeof Component> & object;

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Component {...props} />
  </StrictMode>,
);
