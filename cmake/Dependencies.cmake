# SPDX-License-Identifier: MIT
# Dependencies.cmake - find the libraries hpcenv is made of; define hpcenv::deps.
#
# libsolv must come from scripts/bootstrap (built from Debian's source package with
# conda support): Debian's binary libsolv lacks it, so the system one is never used.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

set(LIBSOLV_ROOT "${PROJECT_SOURCE_DIR}/build/deps/libsolv" CACHE PATH
	"libsolv built with conda support (scripts/bootstrap makes it)")
find_path(LIBSOLV_INCLUDE_DIR solv/solvversion.h PATHS ${LIBSOLV_ROOT}/include
	NO_DEFAULT_PATH NO_CACHE)
find_library(LIBSOLV_LIBRARY NAMES libsolv.a PATHS ${LIBSOLV_ROOT}/lib NO_DEFAULT_PATH NO_CACHE)
find_library(LIBSOLVEXT_LIBRARY NAMES libsolvext.a PATHS ${LIBSOLV_ROOT}/lib NO_DEFAULT_PATH
	NO_CACHE)
if(NOT LIBSOLV_INCLUDE_DIR OR NOT LIBSOLV_LIBRARY OR NOT LIBSOLVEXT_LIBRARY)
	message(FATAL_ERROR "no libsolv with conda support in LIBSOLV_ROOT=${LIBSOLV_ROOT}: "
		"run scripts/bootstrap (it builds one from Debian's source package)")
endif()
file(READ "${LIBSOLV_INCLUDE_DIR}/solv/solvversion.h" _solvversion)
foreach(_feature LIBSOLV_FEATURE_CONDA LIBSOLV_FEATURE_COMPLEX_DEPS LIBSOLV_FEATURE_MULTI_SEMANTICS)
	if(NOT _solvversion MATCHES "#define ${_feature}")
		message(FATAL_ERROR "libsolv in ${LIBSOLV_ROOT} was built without ${_feature}: "
			"hpcenv needs -DENABLE_CONDA=ON -DENABLE_COMPLEX_DEPS=ON -DMULTI_SEMANTICS=ON "
			"(run scripts/bootstrap)")
	endif()
endforeach()
string(REGEX MATCH "LIBSOLV_VERSION_STRING \"([^\"]*)\"" _m "${_solvversion}")
message(STATUS "libsolv ${CMAKE_MATCH_1} with conda support: ${LIBSOLV_ROOT}")

pkg_check_modules(HPCENV_PC REQUIRED IMPORTED_TARGET
	libcurl libarchive yaml-0.1 jansson yajl libzstd zlib libelf openssl hwloc)

add_library(hpcenv_deps INTERFACE)
add_library(hpcenv::deps ALIAS hpcenv_deps)
target_include_directories(hpcenv_deps SYSTEM INTERFACE ${LIBSOLV_INCLUDE_DIR})
# libsolvext before libsolv: static link order.
target_link_libraries(hpcenv_deps INTERFACE ${LIBSOLVEXT_LIBRARY} ${LIBSOLV_LIBRARY}
	PkgConfig::HPCENV_PC Threads::Threads ${CMAKE_DL_LIBS} m)

# The sanitizer build only: ASan's realloc always moves a block, and libsolv grows its
# arrays a block at a time, which turns a solve on real repodata from 0.1 s into minutes.
# cmake/solv-asan-realloc.c makes that growth geometric through linker wraps.
if(HPCENV_SANITIZE)
	target_sources(hpcenv_deps INTERFACE ${PROJECT_SOURCE_DIR}/cmake/solv-asan-realloc.c)
	target_link_options(hpcenv_deps INTERFACE -Wl,--wrap=solv_realloc
		-Wl,--wrap=solv_realloc2 -Wl,--wrap=solv_extend_realloc)
endif()
