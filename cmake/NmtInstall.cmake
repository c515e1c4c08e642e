# Installing nmt as a library: every nmt_<part> library with its headers, a
# CMake package (find_package(nmt) gives nmt::core, nmt::model, ...) and a
# pkg-config file. Parts register themselves with nmt_install_library();
# nmt_install_package() runs once all of them have.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NMT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/nmt" CACHE STRING
    "Where nmtConfig.cmake goes, relative to the install prefix")

# nmt_install_library(TARGET NAME [HEADERS DIR...]): installs TARGET, exported as
# nmt::NAME (also an alias in this build, so a parent project using
# add_subdirectory links the same names), and the *.h files under each DIR
# (each an include root: DIR/nmt/<part>/...).
function(nmt_install_library target name)
  cmake_parse_arguments(ARG "" "" "HEADERS" ${ARGN})
  add_library(nmt::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  install(TARGETS ${target} EXPORT nmtTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  foreach(dir IN LISTS ARG_HEADERS)
    install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
  endforeach()
  set_property(GLOBAL APPEND PROPERTY NMT_INSTALLED_LIBRARIES ${target})
endfunction()

# A folder for nmt.pc: under ${prefix} unless given as an absolute path.
function(nmt_pc_dir var dir)
  if(IS_ABSOLUTE "${dir}")
    set(${var} "${dir}" PARENT_SCOPE)
  else()
    set(${var} "\${prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

function(nmt_install_package)
  install(EXPORT nmtTargets NAMESPACE nmt:: FILE nmtTargets.cmake DESTINATION ${NMT_INSTALL_CMAKEDIR})
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/nmtConfig.cmake.in
                                ${PROJECT_BINARY_DIR}/cmake/nmtConfig.cmake
                                INSTALL_DESTINATION ${NMT_INSTALL_CMAKEDIR})
  # 0.x: a minor release may change the API.
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/nmtConfigVersion.cmake
                                   COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/cmake/nmtConfig.cmake ${PROJECT_BINARY_DIR}/cmake/nmtConfigVersion.cmake
          DESTINATION ${NMT_INSTALL_CMAKEDIR})

  # A static library leaves its dependencies to whoever links it, so with
  # static libraries they are public in nmt.pc; shared ones carry their own.
  get_property(libraries GLOBAL PROPERTY NMT_INSTALLED_LIBRARIES)
  list(REVERSE libraries)  # parts register dependencies first; static linking wants them last
  list(TRANSFORM libraries PREPEND "-l")
  list(JOIN libraries " " NMT_PC_LIBS)
  set(dependency_libs "-ldnnl -lspdlog ${OpenMP_CXX_FLAGS}")  # those without a .pc file
  set(NMT_PC_MPI "")
  if(NMT_MPI)
    set(NMT_PC_MPI " ompi-c")  # Open MPI's; the one Debian's libopenmpi-dev installs
  endif()
  if(BUILD_SHARED_LIBS)
    set(NMT_PC_REQUIRES "Requires.private")
    set(NMT_PC_LIBS_PRIVATE "Libs.private: ${dependency_libs}")
  else()
    set(NMT_PC_REQUIRES "Requires")
    string(APPEND NMT_PC_LIBS " ${dependency_libs}")
    set(NMT_PC_LIBS_PRIVATE "")
  endif()
  # The prefix relative to nmt.pc's own folder (${pcfiledir}), so the tree may
  # be moved, or installed with `cmake --install --prefix` elsewhere than
  # CMAKE_INSTALL_PREFIX.
  file(RELATIVE_PATH NMT_PC_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" NMT_PC_PREFIX "${NMT_PC_PREFIX}")
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(NMT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  else()
    set(NMT_PC_PREFIX "\${pcfiledir}/${NMT_PC_PREFIX}")
  endif()
  nmt_pc_dir(NMT_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
  nmt_pc_dir(NMT_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/nmt.pc.in ${PROJECT_BINARY_DIR}/cmake/nmt.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/cmake/nmt.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endfunction()
