// Display: a value rendered for display, one representation per MIME type.
//
// Design note. Charts, tables and progress bars (module `Plot`) produce MIME bundles, and the
// kernel (modules `KernelInterface` and `Jupyter`) sends them; neither needs the other to agree
// on what a bundle is, so the bundle lives here, below both.
