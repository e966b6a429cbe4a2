; Portcullis' additions to electron-builder's NSIS installer (nsis.include in build/electron-builder.config.ts).
; Leftover persistent WFP filters keep blocking after the files are gone, so the uninstaller removes them first,
; while Portcullis.exe still exists to do it. The names below must equal those in electron/core/app-identity.ts
; (AUTOSTART_TASK_NAME, DATA_FOLDER_NAME, CLI_ARG); test/unit/build checks that they do.

!define PORTCULLIS_TASK_NAME "Portcullis"
!define PORTCULLIS_DATA_FOLDER "Portcullis"
!define PORTCULLIS_CLI_ARG "--cli"
; The folder that holds only portcullis.cmd (extraFiles in build/electron-builder.config.ts), and the switches with
; which Portcullis.exe puts it on the machine PATH and takes it off (electron/main/console-path.ts).
!define PORTCULLIS_REGISTER_CONSOLE_ARG "--register-console"
!define PORTCULLIS_UNREGISTER_CONSOLE_ARG "--unregister-console"

!macro customInstall
  DetailPrint "Adding $INSTDIR\bin (the portcullis command) to PATH..."
  nsExec::ExecToLog '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" ${PORTCULLIS_REGISTER_CONSOLE_ARG}'
  Pop $0
  ${if} $0 != 0
    DetailPrint "PATH was not changed (result: $0). Run $INSTDIR\bin\portcullis.cmd by its full path instead."
  ${endif}
  ; Started from here, elevated like the installer, so there is no second UAC prompt (runAfterFinish is off).
  ; Not in a silent install (deployment tools start it themselves, or at the next logon).
  ${ifNot} ${Silent}
    Exec '"$INSTDIR\${APP_EXECUTABLE_FILENAME}"'
  ${endif}
!macroend

!macro customUnInstall
  ; An update runs the old uninstaller with --updated: the rules, filters, logon task and data stay, the new
  ; version takes them over.
  ${ifNot} ${isUpdated}
    nsExec::ExecToLog '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" ${PORTCULLIS_UNREGISTER_CONSOLE_ARG}'
    Pop $2

    DetailPrint "Removing Portcullis' filters, sublayer and provider from the Windows Filtering Platform..."
    nsExec::ExecToLog '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" ${PORTCULLIS_CLI_ARG} reset'
    Pop $0
    ${if} $0 != 0
      DetailPrint "Portcullis reset failed (result: $0)."
      MessageBox MB_OK|MB_ICONEXCLAMATION "Portcullis could not remove its filters from the Windows Filtering Platform (result: $0).$\r$\n$\r$\nThey may keep blocking applications. To remove them, install Portcullis again, run this command as administrator, then uninstall again:$\r$\n$\r$\n    Portcullis.exe ${PORTCULLIS_CLI_ARG} reset" /SD IDOK
    ${endif}

    DetailPrint "Removing the logon task ${PORTCULLIS_TASK_NAME}..."
    ; Exit code 1 only means there was no such task (autostart was off).
    nsExec::ExecToLog '"$SYSDIR\schtasks.exe" /Delete /TN "${PORTCULLIS_TASK_NAME}" /F'
    Pop $1

    ; Yes keeps the rules for a later installation; silent uninstalls keep them too. Only an explicit No deletes.
    ${if} ${Cmd} `MessageBox MB_YESNO|MB_ICONQUESTION "Keep your Portcullis rules, settings and history?$\r$\n$\r$\nYes keeps them in %ProgramData%\${PORTCULLIS_DATA_FOLDER} for a later installation.$\r$\nNo deletes them." /SD IDYES IDNO`
      ; The data is machine-wide (%ProgramData%, writable by administrators only): with the "all users" context
      ; $APPDATA is %ProgramData%.
      SetShellVarContext all
      DetailPrint "Deleting $APPDATA\${PORTCULLIS_DATA_FOLDER}"
      RMDir /r "$APPDATA\${PORTCULLIS_DATA_FOLDER}"
      ${if} $installMode != "all"
        SetShellVarContext current
      ${endif}
    ${endif}
  ${endIf}
!macroend
