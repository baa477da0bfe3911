"""Front end in the kernel: the IPython extension, %lamin magics, the comm to JupyterLab."""
