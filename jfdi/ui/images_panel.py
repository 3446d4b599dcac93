"""Images beside the prompt: a photo of the paper form, a whiteboard, a screenshot of an app, by
upload or by pasting into the page (the clipboard's image goes to the upload). They go with the next
message, shown as thumbnails until then and in the conversation after. Layout and wiring; what
happens is in Handlers."""

from __future__ import annotations

import gradio as gr

from ..images import MAX_IMAGES
from .handlers import ChatState, Handlers

# A paste anywhere on the page that carries image files (a screenshot from the clipboard, an image
# copied in a file manager) is handed to the upload's own file input, as if the files were picked.
PASTE_IMAGES_JS = """
() => {
  document.addEventListener("paste", (event) => {
    const images = [...(event.clipboardData ? event.clipboardData.files : [])].filter((f) => f.type.startsWith("image/"));
    const input = document.querySelector("#jfdi-image-upload input[type=file]");
    if (!images.length || !input) return;
    event.preventDefault();
    const transfer = new DataTransfer();
    images.forEach((file) => transfer.items.add(file));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
}
"""


class ImagesPanel:
    """Render under the prompt, then `wire` it."""

    def __init__(self, handlers: Handlers):
        self.handlers = handlers

    def render(self) -> None:
        with gr.Row(equal_height=True, elem_id="jfdi-images"):
            self.upload = gr.File(label=f"🖼️ Images to build from (up to {MAX_IMAGES}): upload, or paste into the page",
                                  file_count="multiple", type="filepath", file_types=["image", ".heic", ".heif"],
                                  height=110, scale=2, elem_id="jfdi-image-upload")
            self.thumbnails = gr.Gallery(label="Goes with your next message", columns=5, height=110, allow_preview=False,
                                         scale=3, elem_id="jfdi-image-thumbs")
        with gr.Row():
            self.summary = gr.Markdown(elem_id="jfdi-image-summary")
            self.remove = gr.Button("✖ Remove images", size="sm", scale=0, min_width=160, elem_id="jfdi-image-remove")

    def wire(self, demo: gr.Blocks, state: gr.State, generated, cleared) -> None:
        """`generated`: the events that send a message (its images go with it); `cleared`: the one
        that starts the conversation over."""
        handlers, private = self.handlers, dict(api_visibility="private")

        def on_attach(files: list[str] | None, chat: ChatState):
            chat, message = handlers.attach_images(files or [], chat)
            return chat, message, handlers.pending_thumbnails(chat), None

        def on_remove(chat: ChatState):
            return handlers.remove_images(chat), "", []

        def shown(chat: ChatState):
            pending = handlers.pending_thumbnails(chat)
            return pending, gr.Markdown() if pending else ""  # the line about images sent goes with them

        self.upload.upload(on_attach, [self.upload, state], [state, self.summary, self.thumbnails, self.upload],
                           concurrency_limit=None, **private)
        self.remove.click(on_remove, [state], [state, self.summary, self.thumbnails], queue=False, **private)
        for event in [*generated, cleared]:
            event.then(shown, [state], [self.thumbnails, self.summary], queue=False, **private)
        demo.load(None, js=PASTE_IMAGES_JS, **private)
