/*
 * cuda-probe: one CUDA driver call path, from inside an image, through the driver libraries the
 * worker injects (libcuda.so.1 under /usr/local/nvidia/lib64, found through LD_LIBRARY_PATH).
 * It links nothing of CUDA at build time, so it builds here without a GPU or the CUDA toolkit,
 * and prints one JSON line: the driver's CUDA version, the devices it sees, and whether a context
 * and a device allocation worked.
 *
 * Built by e2e/gpu/prepare.ts into the check's image (Debian's glibc, not the GPU
 * host's userspace).
 */
#include <dlfcn.h>
#include <stdio.h>

typedef int CUresult;
typedef int CUdevice;
typedef void *CUcontext;
typedef unsigned long long CUdeviceptr;

typedef CUresult (*fn_init)(unsigned);
typedef CUresult (*fn_int)(int *);
typedef CUresult (*fn_get)(CUdevice *, int);
typedef CUresult (*fn_name)(char *, int, CUdevice);
typedef CUresult (*fn_mem)(size_t *, CUdevice);
typedef CUresult (*fn_ctx)(CUcontext *, unsigned, CUdevice);
typedef CUresult (*fn_alloc)(CUdeviceptr *, size_t);
typedef CUresult (*fn_free)(CUdeviceptr);
typedef CUresult (*fn_ctxfree)(CUcontext);

#define LOAD(name, type) type name = (type)dlsym(lib, #name); if (!name) { printf("{\"ok\":false,\"error\":\"missing symbol %s\"}\n", #name); return 1; }

int main(void) {
  void *lib = dlopen("libcuda.so.1", RTLD_NOW);
  if (!lib) { printf("{\"ok\":false,\"error\":\"dlopen libcuda.so.1: %s\"}\n", dlerror()); return 1; }
  LOAD(cuInit, fn_init);
  LOAD(cuDriverGetVersion, fn_int);
  LOAD(cuDeviceGetCount, fn_int);
  LOAD(cuDeviceGet, fn_get);
  LOAD(cuDeviceGetName, fn_name);
  LOAD(cuDeviceTotalMem_v2, fn_mem);
  LOAD(cuCtxCreate_v2, fn_ctx);
  LOAD(cuMemAlloc_v2, fn_alloc);
  LOAD(cuMemFree_v2, fn_free);
  LOAD(cuCtxDestroy_v2, fn_ctxfree);

  CUresult r = cuInit(0);
  if (r != 0) { printf("{\"ok\":false,\"error\":\"cuInit returned %d\"}\n", r); return 1; }
  int version = 0, count = 0;
  cuDriverGetVersion(&version);
  r = cuDeviceGetCount(&count);
  if (r != 0) { printf("{\"ok\":false,\"error\":\"cuDeviceGetCount returned %d\"}\n", r); return 1; }
  printf("{\"ok\":true,\"driverCudaVersion\":%d,\"devices\":[", version);
  int allOk = 1;
  for (int i = 0; i < count; i++) {
    CUdevice dev; char name[256] = {0}; size_t mem = 0; CUcontext ctx = 0; CUdeviceptr p = 0;
    cuDeviceGet(&dev, i);
    cuDeviceGetName(name, sizeof name, dev);
    cuDeviceTotalMem_v2(&mem, dev);
    int ctxOk = cuCtxCreate_v2(&ctx, 0, dev) == 0;
    int allocOk = ctxOk && cuMemAlloc_v2(&p, 64u << 20) == 0;
    if (allocOk) cuMemFree_v2(p);
    if (ctxOk) cuCtxDestroy_v2(ctx);
    allOk = allOk && allocOk;
    printf("%s{\"index\":%d,\"name\":\"%s\",\"totalMemBytes\":%zu,\"context\":%s,\"alloc64MiB\":%s}", i ? "," : "", i, name, mem, ctxOk ? "true" : "false", allocOk ? "true" : "false");
  }
  printf("]}\n");
  return allOk && count > 0 ? 0 : 2;
}
